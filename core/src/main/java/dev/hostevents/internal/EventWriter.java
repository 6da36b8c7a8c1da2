package dev.hostevents.internal;

import dev.hostevents.Event;
import dev.hostevents.HostEventsException;
import dev.hostevents.ValidationException;
import dev.hostevents.internal.EventQueries.Bound;
import dev.hostevents.internal.EventQueries.P;
import dev.hostevents.spi.QueryRole;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The store's writes: slug and short-code allocation and the inserts, in as few round trips as the
 * database allows.
 *
 * <p><b>Slugs.</b> A derived slug is the first of the title's base slug, {@code base-2} …
 * {@code base-9} that no row holds, else {@code base-<6 random characters>} (the scheme the Alembic
 * app uses, so existing rows keep their meaning). Where the dialect gives {@code INSERT … RETURNING}
 * (PostgreSQL, SQLite) one {@code INSERT … SELECT} picks the first free candidate and
 * inserts it, and returns the slug it took: one round trip however many candidates are taken.
 * Elsewhere (MySQL and MariaDB, H2) the insert first tries the base slug, and only when that is
 * taken asks which candidates are free (one query) and inserts the first.
 *
 * <p><b>Concurrency.</b> Two writers may pick the same free candidate; the unique index lets one
 * win and the other's insert fails with a violation of {@code ix_events_slug} (or, rarely, of
 * {@code ix_events_short_code}), which is retried with a fresh look. Any other unique violation is
 * an application's own constraint and is reported, not retried. Serialization failures and
 * deadlocks ({@link QueryRole#isTransientWriteFailure}) are retried too, a bounded number of times.
 *
 * <p><b>Batches.</b> {@link #createAll} validates first, then asks once (per
 * {@value EventQueries#TAKEN_BATCH} candidates) which candidate slugs are taken, allocates every slug
 * in memory and inserts all rows as one JDBC batch in one transaction; a slug or short code taken
 * meanwhile by another writer rolls the transaction back and the whole batch is allocated again.
 */
public final class EventWriter {
    /** Attempts of one create or one batch before giving up. */
    public static final int ATTEMPTS = 20;

    /** Bases remembered as crowded (their first slug was taken) by the path without {@code RETURNING}. */
    private static final int CROWDED_BASES = 1024;

    private final QueryRole sql;
    private final Supplier<EventQueries> queries;
    /**
     * Bases whose first slug was found taken. Only the number of round trips depends on it (such a base
     * skips the insert that would fail); the slug chosen is always the first free candidate.
     */
    private final Set<String> crowded = java.util.Collections.newSetFromMap(java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
                    return size() > CROWDED_BASES;
                }
            }));

    /** A validated event to insert; {@code slug} is {@code null} when it is to be derived from the title. */
    public record Row(String title, String description, String hostCode, String slug) {
    }

    public EventWriter(QueryRole sql, Supplier<EventQueries> queries) {
        this.sql = sql;
        this.queries = queries;
    }

    // ------------------------------------------------------------------ one event

    /**
     * Inserts one event on the connection (auto-commit, or committed here when it is not).
     *
     * @throws ValidationException {@code slug} when an explicit slug is taken
     * @throws SQLException anything else the database said, after the retries
     */
    public Event create(Connection c, Row row, Instant createdAt) throws SQLException {
        EventQueries q = queries.get();
        String base = row.slug() == null ? baseSlug(row.title()) : null;
        SQLException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String shortCode = ShortCodes.generate();
            try {
                Event e;
                if (row.slug() != null) {
                    e = insertPlain(c, q, row, row.slug(), shortCode, createdAt);
                } else if (sql.insertReturning(List.of("id", "slug")) != null) {
                    e = insertAllocating(c, q, row, base, shortCode, createdAt);
                    if (e == null) {
                        throw new IllegalStateException("every candidate slug was taken, the random one included");
                    }
                } else {
                    e = insertGuessing(c, q, row, base, shortCode, createdAt, attempt);
                }
                commitIfNeeded(c);
                return e;
            } catch (SQLException e) {
                rollbackIfNeeded(c, e);
                String key = sql.violatedUniqueKey(e);
                if (key == null && !sql.isTransientWriteFailure(e)) {
                    throw e;
                }
                if ("slug".equals(key) && row.slug() != null) {
                    throw new ValidationException("slug", "is already taken");
                }
                last = e; // a concurrent writer took the slug, the short code collided, or a deadlock: again
            }
        }
        throw new HostEventsException("could not insert the event after " + ATTEMPTS
                + " attempts (slug or short code taken each time, or the database kept reporting conflicts)", last);
    }

    /** The allocating {@code INSERT … SELECT … RETURNING id, slug}: the event, or {@code null} if it inserted nothing. */
    private Event insertAllocating(Connection c, EventQueries q, Row row, String base, String shortCode, Instant createdAt)
            throws SQLException {
        String[] candidates = candidates(base);
        Bound b = q.insertAllocating;
        try (PreparedStatement ps = c.prepareStatement(b.sql())) {
            bindInsert(ps, b.params(), row, null, candidates, shortCode, createdAt);
            try (ResultSet rs = ps.executeQuery()) {
                Event e = rs.next() ? event(rs.getLong(1), row, rs.getString(2), shortCode, createdAt) : null;
                // Step the statement to its end: SQLite commits an auto-commit INSERT … RETURNING only
                // then, and a commit that fails there (SQLITE_BUSY) must fail this call, not vanish
                // with the result set's close.
                while (rs.next()) {
                    // one row at most
                }
                return e;
            }
        }
    }

    /**
     * Without {@code RETURNING}: the base slug first (one round trip when it is free, the common case
     * for distinct titles), else one query for the taken candidates and an insert of the first free one
     * (two round trips; a base seen taken before goes there directly).
     */
    private Event insertGuessing(Connection c, EventQueries q, Row row, String base, String shortCode, Instant createdAt,
            int attempt) throws SQLException {
        if (attempt == 0 && !crowded.contains(base)) {
            try {
                return insertPlain(c, q, row, base, shortCode, createdAt);
            } catch (SQLException e) {
                if (!"slug".equals(sql.violatedUniqueKey(e))) {
                    throw e;
                }
                rollbackIfNeeded(c, e);
                crowded.add(base);
            }
        }
        String[] candidates = candidates(base);
        Set<String> taken = taken(c, q, List.of(candidates));
        for (String candidate : candidates) {
            if (!taken.contains(candidate)) {
                return insertPlain(c, q, row, candidate, shortCode, createdAt);
            }
        }
        throw new IllegalStateException("every candidate slug was taken, the random one included");
    }

    private Event insertPlain(Connection c, EventQueries q, Row row, String slug, String shortCode, Instant createdAt)
            throws SQLException {
        Bound b = q.insert;
        try (PreparedStatement ps = sql.prepareInsert(c, b.sql())) {
            bindInsert(ps, b.params(), row, slug, null, shortCode, createdAt);
            ps.executeUpdate();
            return event(generatedId(ps), row, slug, shortCode, createdAt);
        }
    }

    // ------------------------------------------------------------------ batches

    /**
     * Inserts every row in one transaction on the connection, all or none; retried as a whole when a
     * concurrent writer took an allocated slug or short code.
     *
     * @param times the creation time of each row
     * @throws ValidationException {@code slug}, with the position in the batch, when an explicit slug
     *     is taken or given twice
     */
    public List<Event> createAll(Connection c, List<Row> rows, List<Instant> times) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        EventQueries q = queries.get();
        Set<String> explicit = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            String slug = rows.get(i).slug();
            if (slug != null && !explicit.add(slug)) {
                throw new ValidationException("slug", "is already taken (event #" + i + " of the batch)");
            }
        }
        boolean autoCommit = c.getAutoCommit();
        SQLException last = null;
        try {
            c.setAutoCommit(false);
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                try {
                    List<Event> out = insertBatch(c, q, rows, times, attempt > 0);
                    c.commit();
                    return out;
                } catch (SQLException | RuntimeException e) {
                    rollback(c, e);
                    if (!(e instanceof SQLException s)) {
                        throw e;
                    }
                    String key = sql.violatedUniqueKey(s);
                    if (key == null && !sql.isTransientWriteFailure(s)) {
                        throw s;
                    }
                    last = s; // taken meanwhile (an explicit slug is then found taken on the next look)
                }
            }
        } finally {
            restoreAutoCommit(c, autoCommit);
        }
        throw new HostEventsException("could not insert the batch after " + ATTEMPTS
                + " attempts (slugs or short codes taken each time, or the database kept reporting conflicts)", last);
    }

    private List<Event> insertBatch(Connection c, EventQueries q, List<Row> rows, List<Instant> times, boolean retry)
            throws SQLException {
        // Every slug the batch may want, asked for at once.
        Set<String> wanted = new LinkedHashSet<>();
        String[] bases = new String[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r.slug() != null) {
                wanted.add(r.slug());
            } else {
                bases[i] = baseSlug(r.title());
                wanted.add(bases[i]);
                for (int n = 2; n <= 9; n++) {
                    wanted.add(bases[i] + "-" + n);
                }
            }
        }
        Set<String> taken = taken(c, q, wanted);
        List<String> slugs = new ArrayList<>(rows.size());
        Set<String> used = new HashSet<>(taken);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r.slug() != null) {
                if (taken.contains(r.slug())) {
                    throw new ValidationException("slug", "is already taken (event #" + i + " of the batch)");
                }
                used.add(r.slug());
                slugs.add(r.slug());
            }  else {
                slugs.add(null);
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            if (slugs.get(i) == null) {
                String slug = firstFree(bases[i], used);
                used.add(slug);
                slugs.set(i, slug);
            }
        }
        List<String> shortCodes = new ArrayList<>(rows.size());
        Set<String> codes = new HashSet<>();
        while (shortCodes.size() < rows.size()) {
            String code = ShortCodes.generate();
            if (codes.add(code)) {
                shortCodes.add(code);
            }
        }
        long[] ids = new long[rows.size()];
        Bound b = q.insert;
        try (PreparedStatement ps = sql.prepareInsert(c, b.sql())) {
            if (sql.batchReturnsGeneratedKeys()) {
                for (int i = 0; i < rows.size(); i++) {
                    bindInsert(ps, b.params(), rows.get(i), slugs.get(i), null, shortCodes.get(i), times.get(i));
                    ps.addBatch();
                }
                ps.executeBatch();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    for (int i = 0; i < ids.length; i++) {
                        if (!keys.next()) {
                            throw new SQLException("the driver returned " + i + " generated ids for a batch of " + ids.length);
                        }
                        ids[i] = keys.getLong(1);
                    }
                }
            } else {
                for (int i = 0; i < rows.size(); i++) {
                    bindInsert(ps, b.params(), rows.get(i), slugs.get(i), null, shortCodes.get(i), times.get(i));
                    ps.executeUpdate();
                    ids[i] = generatedId(ps);
                }
            }
        }
        List<Event> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            out.add(event(ids[i], rows.get(i), slugs.get(i), shortCodes.get(i), times.get(i)));
        }
        return out;
    }

    /** The first of base, base-2 … base-9 not in {@code used}, else a random suffix not in it. */
    private static String firstFree(String base, Set<String> used) {
        for (int n = 1; n <= 9; n++) {
            String candidate = n == 1 ? base : base + "-" + n;
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
        String slug;
        do {
            slug = randomSuffixed(base);
        } while (used.contains(slug));
        return slug;
    }

    // ------------------------------------------------------------------ plumbing

    /** The title's slug, cut to leave room for a suffix; "event" or "event-x" when too short. */
    public static String baseSlug(String title) {
        String base = Validation.slugFromTitle(title, Validation.SLUG_MAX - 7);
        if (base.length() < Validation.SLUG_MIN) {
            base = base.isEmpty() ? "event" : "event-" + base;
        }
        return base;
    }

    private static String[] candidates(String base) {
        String[] out = new String[EventQueries.CANDIDATES];
        out[0] = base;
        for (int n = 2; n <= 9; n++) {
            out[n - 1] = base + "-" + n;
        }
        out[9] = randomSuffixed(base);
        return out;
    }

    private static String randomSuffixed(String base) {
        return base + "-" + ShortCodes.generate().substring(0, 6).toLowerCase(Locale.ROOT);
    }

    /** Which of the slugs some row holds, {@value EventQueries#TAKEN_BATCH} per query. */
    private Set<String> taken(Connection c, EventQueries q, java.util.Collection<String> slugs) throws SQLException {
        Set<String> taken = new HashSet<>();
        List<String> all = new ArrayList<>(slugs);
        Bound b = q.slugsTaken;
        try (PreparedStatement ps = c.prepareStatement(b.sql())) {
            for (int from = 0; from < all.size(); from += EventQueries.TAKEN_BATCH) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + EventQueries.TAKEN_BATCH));
                for (int i = 0; i < EventQueries.TAKEN_BATCH; i++) {
                    ps.setString(i + 1, chunk.get(Math.min(i, chunk.size() - 1)));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        taken.add(rs.getString(1));
                    }
                }
            }
        }
        return taken;
    }

    private void bindInsert(PreparedStatement ps, P[] params, Row row, String slug, String[] candidates, String shortCode,
            Instant createdAt) throws SQLException {
        int candidate = 0;
        for (int i = 0; i < params.length; i++) {
            int at = i + 1;
            switch (params[i]) {
                case TITLE -> ps.setString(at, row.title());
                case SLUG -> ps.setString(at, slug);
                case CANDIDATE -> ps.setString(at, candidates[candidate++]);
                case DESCRIPTION -> ps.setString(at, row.description());
                case SHORT_CODE -> ps.setString(at, shortCode);
                case HOST -> ps.setString(at, row.hostCode());
                case CREATED_AT -> sql.bindCreatedAt(ps, at, createdAt);
                case ACTIVE -> ps.setBoolean(at, true);
                default -> throw new IllegalStateException("unexpected insert parameter " + params[i]);
            }
        }
    }

    private static long generatedId(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("the driver returned no generated id");
            }
            return keys.getLong(1);
        }
    }

    private static Event event(long id, Row row, String slug, String shortCode, Instant createdAt) {
        return new Event(id, row.title(), slug, row.description(), shortCode, row.hostCode(), createdAt, true);
    }

    private static void commitIfNeeded(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    /** On a connection not in auto-commit a failed statement may have aborted the transaction (PostgreSQL). */
    private static void rollbackIfNeeded(Connection c, SQLException cause) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Rolls back, keeping the original error: a rollback that fails too is attached to it, not thrown instead. */
    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection c, boolean autoCommit) throws SQLException {
        try {
            c.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            if (!c.isClosed()) {
                throw e;
            }
        }
    }
}
