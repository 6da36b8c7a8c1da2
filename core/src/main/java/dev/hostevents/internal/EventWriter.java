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
 * allocation rule allows.
 *
 * <p><b>Slugs.</b> A derived slug is the first of the title's base slug, {@code base-2} …
 * {@code base-9} that no row holds, else {@code base-<6 random characters>} (the scheme the Alembic
 * app uses, so existing rows keep their meaning). The store remembers, per base (a bounded LRU), what
 * it last saw, which only decides how many round trips a create takes, never which slug it gets:
 * <ul>
 *   <li>a base it has not seen taken: a plain {@code INSERT … VALUES} with the base slug, one round
 *       trip (the common case: distinct titles);
 *   <li>a base whose nine numbered slugs were all taken (a title used again and again): one
 *       {@code INSERT … SELECT … WHERE (SELECT COUNT(*) … slug IN (the nine)) = 9} of a random-suffix
 *       slug, which inserts exactly when the rule picks a random suffix; one round trip (where
 *       {@link QueryRole#guardedInsertIsCheap} says so; MySQL and MariaDB take the next item's two);
 *   <li>otherwise, or when either guess inserted nothing: one query for the taken candidates, then
 *       the insert of the first free one.
 * </ul>
 * Every read of {@code events} here is an equality or {@code IN} list on the unique slug index: a
 * plan cached while the table was small cannot turn into a scan of the table. (An anti-join form,
 * {@code INSERT … SELECT FROM (VALUES …) WHERE NOT EXISTS …}, was measured and dropped: PostgreSQL kept a
 * generic plan made on an empty table that scanned it, 1 ms at 6,000 rows and 5 ms at 30,000.)
 *
 * <p><b>Concurrency.</b> Two writers may pick the same free candidate; the unique index lets one
 * win and the other's insert fails with a violation of {@code ix_events_slug} (or, rarely, of
 * {@code ix_events_short_code}), which is retried with a fresh look. Any other unique violation is
 * an application's own constraint and is reported, not retried. Serialization failures and
 * deadlocks ({@link QueryRole#isTransientWriteFailure}) are retried too, a bounded number of times.
 *
 * <p><b>Batches.</b> {@link #createAll} validates first, then asks which bases are taken (one query
 * per {@value EventQueries#TAKEN_BATCH} slugs), and only for those which numbered slugs; allocates
 * every slug in memory and inserts all rows as one JDBC batch in one transaction; a slug or short
 * code taken meanwhile by another writer rolls the transaction back and the whole batch is allocated
 * again.
 */
public final class EventWriter {
    /** Attempts of one create or one batch before giving up. */
    public static final int ATTEMPTS = 20;

    /** Bases whose state is remembered. */
    private static final int REMEMBERED_BASES = 1024;

    /** What the store last saw of a base: its first slug taken, or all nine numbered slugs taken. */
    private enum Seen { TAKEN, CROWDED }

    private final QueryRole sql;
    private final Supplier<EventQueries> queries;
    /** Per base, what was last seen; only the number of round trips depends on it. */
    private final java.util.Map<String, Seen> seen = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Seen> eldest) {
                    return size() > REMEMBERED_BASES;
                }
            });

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
                Event e = row.slug() != null ? insert(c, q, row, row.slug(), shortCode, createdAt)
                        : insertDerived(c, q, row, base, shortCode, createdAt, attempt);
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

    /** A derived slug: a guess from what was last seen of the base, else a look at the candidates. */
    private Event insertDerived(Connection c, EventQueries q, Row row, String base, String shortCode, Instant createdAt,
            int attempt) throws SQLException {
        Seen before = attempt == 0 ? seen.get(base) : Seen.TAKEN;
        if (before == null) {
            try {
                return insert(c, q, row, base, shortCode, createdAt);
            } catch (SQLException e) {
                if (!"slug".equals(sql.violatedUniqueKey(e))) {
                    throw e;
                }
                rollbackIfNeeded(c, e);
            }
        } else if (before == Seen.CROWDED && sql.guardedInsertIsCheap()) {
            Event e = insertIfCrowded(c, q, row, base, shortCode, createdAt);
            if (e != null) {
                return e;
            }
        }
        String[] numbered = numbered(base);
        Set<String> taken = taken(c, q, List.of(numbered));
        for (String candidate : numbered) {
            if (!taken.contains(candidate)) {
                seen.put(base, Seen.TAKEN);
                return insert(c, q, row, candidate, shortCode, createdAt);
            }
        }
        seen.put(base, Seen.CROWDED);
        return insert(c, q, row, randomSuffixed(base), shortCode, createdAt);
    }

    /** The conditional insert of a random-suffix slug: the event, or {@code null} when a numbered slug is free. */
    private Event insertIfCrowded(Connection c, EventQueries q, Row row, String base, String shortCode, Instant createdAt)
            throws SQLException {
        String slug = randomSuffixed(base);
        String[] numbered = numbered(base);
        Bound b = q.insertIfCrowded;
        try (PreparedStatement ps = sql.prepareInsert(c, b.sql())) {
            bindInsert(ps, b.params(), row, slug, numbered, shortCode, createdAt);
            if (ps.executeUpdate() == 0) {
                return null;
            }
            return event(generatedId(ps), row, slug, shortCode, createdAt);
        }
    }

    private Event insert(Connection c, EventQueries q, Row row, String slug, String shortCode, Instant createdAt)
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
        // What the batch may want: first the explicit slugs and every base, then, only for the bases
        // found taken, their numbered slugs.
        Set<String> wanted = new LinkedHashSet<>();
        String[] bases = new String[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r.slug() != null) {
                wanted.add(r.slug());
            } else {
                bases[i] = baseSlug(r.title());
                wanted.add(bases[i]);
            }
        }
        Set<String> taken = taken(c, q, wanted);
        Set<String> more = new LinkedHashSet<>();
        Set<String> inBatch = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            // A base taken in the table, or wanted twice in the batch, needs its numbered slugs.
            if (bases[i] != null && (taken.contains(bases[i]) || !inBatch.add(bases[i]))) {
                more.addAll(List.of(numbered(bases[i])).subList(1, EventQueries.NUMBERED));
            }
        }
        more.removeAll(wanted);
        taken.addAll(taken(c, q, more));
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
            } else {
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
        long[] ids;
        Bound b = q.insert;
        try (PreparedStatement ps = sql.prepareInsert(c, b.sql())) {
            for (int i = 0; i < rows.size(); i++) {
                bindInsert(ps, b.params(), rows.get(i), slugs.get(i), null, shortCodes.get(i), times.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
            ids = sql.batchIds(c, ps, shortCodes);
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

    /** The base and {@code base-2} … {@code base-9}, in the rule's order. */
    private static String[] numbered(String base) {
        String[] out = new String[EventQueries.NUMBERED];
        out[0] = base;
        for (int n = 2; n <= EventQueries.NUMBERED; n++) {
            out[n - 1] = base + "-" + n;
        }
        return out;
    }

    private static String randomSuffixed(String base) {
        return base + "-" + ShortCodes.generate().substring(0, 6).toLowerCase(Locale.ROOT);
    }

    /** Which of the slugs some row holds, {@value EventQueries#TAKEN_BATCH} per query. */
    private Set<String> taken(Connection c, EventQueries q, java.util.Collection<String> slugs) throws SQLException {
        Set<String> taken = new HashSet<>();
        if (slugs.isEmpty()) {
            return taken;
        }
        List<String> all = new ArrayList<>(slugs);
        boolean few = all.size() <= EventQueries.NUMBERED;
        Bound b = few ? q.slugsTakenNumbered : q.slugsTaken;
        int width = few ? EventQueries.NUMBERED : EventQueries.TAKEN_BATCH;
        try (PreparedStatement ps = c.prepareStatement(b.sql())) {
            for (int from = 0; from < all.size(); from += width) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + width));
                for (int i = 0; i < width; i++) {
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
