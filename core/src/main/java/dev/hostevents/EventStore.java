package dev.hostevents;

import dev.hostevents.internal.CursorCodec;
import dev.hostevents.internal.CursorKeys;
import dev.hostevents.internal.EventQueries;
import dev.hostevents.internal.EventQueries.Bound;
import dev.hostevents.internal.EventQueries.P;
import dev.hostevents.internal.EventWriter;
import dev.hostevents.internal.Jooq;
import dev.hostevents.internal.Micros;
import dev.hostevents.internal.ShortCodes;
import dev.hostevents.internal.StatementCache;
import dev.hostevents.internal.Validation;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.DialectProvider;
import dev.hostevents.spi.Dialects;
import dev.hostevents.spi.PlanReport;
import dev.hostevents.spi.QueryRole;
import dev.hostevents.spi.StatementBinder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.impl.DSL;

/**
 * The {@code events} table: create events and read a host's events newest first, by offset or by
 * keyset cursor.
 *
 * <pre>{@code
 * EventStore store = EventStore.create(dataSource);          // dialect picked from the database
 * Event e = store.create(NewEvent.titled("Town hall Q&A"));  // host code generated
 * List<Event> page = store.findByHost(e.hostCode(), 10, 0);  // newest first
 * }</pre>
 *
 * <p>The store borrows a connection from the {@link DataSource} for each call and gives it back; it
 * never opens a pool of its own. Connections are expected in auto-commit mode; when one is not, the
 * store commits its own writes. Every statement is rendered once, when the store is built, for the
 * database's dialect and version; a call only prepares, binds and maps (with
 * {@link Builder#statementReuse statement reuse}, which defaults to the dialect's choice
 * {@link QueryRole#reusePreparedStatements()}, the page queries reuse a statement prepared earlier on
 * the same connection instead). Thread-safe.
 *
 * <p>What the store rendered and how the database plans it is behind {@link #diagnostics()}.
 *
 * <p>Host codes are trimmed and lower-cased on every entry point and never appear in a log line, an
 * exception message or a {@code toString()}.
 */
public final class EventStore {
    /** Largest page size. */
    public static final int MAX_LIMIT = 100;
    /**
     * Largest offset accepted by {@link #findByHost(String, int, int)}. An offset page costs what it
     * skips; beyond this, use the keyset page {@link #findByHost(String, PageRequest)}.
     */
    public static final int MAX_OFFSET = 100_000;
    /**
     * System property that holds the cursor key when the builder is given none (it wins over
     * {@link #CURSOR_KEY_ENVIRONMENT}); its format is that of {@link Builder#cursorKey(String)}.
     */
    public static final String CURSOR_KEY_PROPERTY = "hostevents.cursor-key";
    /** Environment variable that holds the cursor key when the builder and {@link #CURSOR_KEY_PROPERTY} give none. */
    public static final String CURSOR_KEY_ENVIRONMENT = "HOSTEVENTS_CURSOR_KEY";

    private static final String EVENTS_TABLE = "events";
    /** Alembic's table, as {@code Migrator.VERSION_TABLE}; read here without the migration package. */
    private static final String VERSION_TABLE = "alembic_version";

    private final DataSource dataSource;
    private final Clock clock;
    private final Dialect dialect;
    private final QueryRole sql;
    private final EventQueries plainQueries;
    /** Starts with the dialect's index hint; switches to {@link #plainQueries} if the hinted index is gone. */
    private volatile EventQueries queries;
    private final CursorCodec cursors;
    /** Page statements kept prepared per connection, when the dialect asks for it; else {@code null}. */
    private final StatementCache statements;
    private final EventWriter writer;

    private EventStore(Builder b) {
        this.dataSource = b.dataSource;
        this.clock = b.clock;
        try (Connection c = dataSource.getConnection()) {
            this.dialect = b.bound != null ? b.bound : Dialects.forConnection(c, b.provider);
            requireEventsTable(c, dialect);
        } catch (SQLException e) {
            throw failure("opening the event store", e);
        }
        this.sql = dialect.queries();
        this.plainQueries = new EventQueries(dialect, false);
        EventQueries hinted = new EventQueries(dialect, true);
        this.queries = hinted.page.sql().equals(plainQueries.page.sql()) ? plainQueries : hinted;
        this.cursors = new CursorCodec(b.cursorKey != null ? b.cursorKey
                : CursorKeys.configured(System::getProperty, System::getenv).orElseGet(CursorKeys::jvmKey));
        boolean reuse = b.statementReuse != null ? b.statementReuse : sql.reusePreparedStatements();
        this.statements = reuse ? new StatementCache() : null;
        this.writer = new EventWriter(sql, () -> queries);
    }

    /**
     * Fails now, not on the first call, when the database was never upgraded: every call would fail
     * with the driver's "no such table".
     */
    private static void requireEventsTable(Connection c, Dialect dialect) throws SQLException {
        if (dialect.schema().tableExists(c, EVENTS_TABLE)) {
            return;
        }
        String revision = null;
        if (dialect.schema().tableExists(c, VERSION_TABLE)) {
            revision = Jooq.on(c, dialect).select(DSL.field(DSL.name("version_num"), String.class))
                    .from(DSL.table(DSL.name(VERSION_TABLE))).fetchAny(0, String.class);
        }
        throw new SchemaNotMigratedException(revision);
    }

    /** A store on the data source, dialect picked from the database, UTC system clock. */
    public static EventStore create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /** Starts configuring a store. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    // ------------------------------------------------------------------ writes

    /**
     * Validates and inserts an event and returns it as stored.
     *
     * @throws ValidationException naming the field when a rule is broken, or when an explicit slug is taken
     */
    public Event create(NewEvent event) {
        Objects.requireNonNull(event, "event");
        EventWriter.Row row = new EventWriter.Row(Validation.title(event.title()), Validation.description(event.description()),
                event.hostCode() == null ? HostCodes.generate() : HostCodes.normalize(event.hostCode()),
                event.slug() == null ? null : Validation.slug(event.slug()));
        Instant createdAt = Micros.truncate(clock.instant());
        try (Connection c = dataSource.getConnection()) {
            return writer.create(c, row, createdAt);
        } catch (SQLException e) {
            throw failure("create", e);
        }
    }

    /**
     * Validates every event first, then inserts them all in one transaction, as one JDBC batch where
     * the driver returns every generated id of a batch: all are stored or none is. For imports and
     * seeding; the events get the clock's time, read once per event as the batch is prepared. Derived
     * slugs follow the same rule as {@link #create}; a batch that collides with a concurrent writer's
     * slug or short code is allocated again and retried as a whole.
     *
     * @return the stored events, in the order given
     * @throws ValidationException naming the field (and the position in the list) of the first bad event,
     *     or {@code slug} when an explicit slug is taken or given twice
     */
    public List<Event> createAll(java.util.Collection<NewEvent> events) {
        Objects.requireNonNull(events, "events");
        List<EventWriter.Row> rows = new ArrayList<>(events.size());
        int position = 0;
        for (NewEvent e : events) {
            try {
                Objects.requireNonNull(e, "event");
                rows.add(new EventWriter.Row(Validation.title(e.title()), Validation.description(e.description()),
                        e.hostCode() == null ? HostCodes.generate() : HostCodes.normalize(e.hostCode()),
                        e.slug() == null ? null : Validation.slug(e.slug())));
            } catch (ValidationException v) {
                throw new ValidationException(v.field(), v.rule() + " (event #" + position + " of the batch)");
            }
            position++;
        }
        List<Instant> times = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            times.add(Micros.truncate(clock.instant()));
        }
        try (Connection c = dataSource.getConnection()) {
            return writer.createAll(c, rows, times);
        } catch (SQLException e) {
            throw failure("createAll", e);
        }
    }

    // ------------------------------------------------------------------ reads

    /**
     * A host's events, newest first, by offset. Ties on {@code created_at} are broken by {@code id} in
     * the direction the dialect's index gives for free ({@link StoreDiagnostics#tieBreak()}), so paging is
     * deterministic.
     *
     * @param hostCode the host's code (trimmed and lower-cased)
     * @param limit 1–{@value #MAX_LIMIT}
     * @param offset 0–{@value #MAX_OFFSET}
     * @throws ValidationException naming {@code host_code}, {@code limit} or {@code offset}
     */
    public List<Event> findByHost(String hostCode, int limit, int offset) {
        String host = HostCodes.normalize(hostCode);
        checkLimit(limit);
        Validation.offset(offset, MAX_OFFSET);
        EventQueries qs = queries;
        try {
            return page(qs.page, host, limit, offset, null);
        } catch (SQLException e) {
            if (qs.hinted && sql.isMissingIndex(e)) {
                queries = plainQueries;
                return findByHost(host, limit, offset);
            }
            throw failure("findByHost", e);
        }
    }

    private List<Event> page(Bound q, String host, int limit, int offset, CursorCodec.Position after) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (statements == null) {
                try (PreparedStatement ps = c.prepareStatement(q.sql())) {
                    bindPage(ps, q.params(), host, limit, offset, after);
                    return read(ps, limit);
                }
            }
            PreparedStatement ps = statements.take(c, q.sql());
            List<Event> rows;
            try {
                bindPage(ps, q.params(), host, limit, offset, after);
                rows = read(ps, limit);
            } catch (SQLException | RuntimeException e) {
                // A statement that failed is not trusted again.
                try {
                    ps.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            statements.release(c, q.sql(), ps);
            return rows;
        }
    }

    /**
     * A keyset page of a host's events, newest first. Its cost does not grow with depth: the cursor
     * carries the last row's position and the query seeks to it in the composite index.
     *
     * @throws ValidationException naming {@code host_code}, or {@code cursor} when it was altered,
     *     truncated or made for another host
     */
    public Page findByHost(String hostCode, PageRequest request) {
        String host = HostCodes.normalize(hostCode);
        Objects.requireNonNull(request, "request");
        CursorCodec.Position after = request.cursor().map(cur -> cursors.decode(host, queries.tieBreak, cur)).orElse(null);
        EventQueries qs = queries;
        int limit = request.limit();
        List<Event> rows;
        try {
            rows = page(after == null ? qs.keysetFirst : qs.keysetAfter, host, limit + 1, 0, after);
        } catch (SQLException e) {
            if (qs.hinted && sql.isMissingIndex(e)) {
                queries = plainQueries;
                return findByHost(host, request);
            }
            throw failure("findByHost", e);
        }
        if (rows.size() <= limit) {
            return new Page(rows, Optional.empty());
        }
        List<Event> page = rows.subList(0, limit);
        Event last = page.get(limit - 1);
        return new Page(page, Optional.of(cursors.encode(host, queries.tieBreak, last.createdAt(), last.id())));
    }

    /** Number of events of a host. */
    public long countByHost(String hostCode) {
        String host = HostCodes.normalize(hostCode);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(queries.count.sql())) {
            ps.setString(1, host);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("countByHost", e);
        }
    }

    /** The event with this attendee join code (trimmed, case-insensitive); empty when there is none. */
    public Optional<Event> findByShortCode(String shortCode) {
        if (shortCode == null) {
            throw new ValidationException("short_code", "is required");
        }
        String code = ShortCodes.normalizeForLookup(shortCode);
        return code == null ? Optional.empty() : findOne(queries.byShortCode, code);
    }

    /** The event with this slug (trimmed); empty when there is none. */
    public Optional<Event> findBySlug(String slug) {
        if (slug == null) {
            throw new ValidationException("slug", "is required");
        }
        String s = slug.strip();
        return Validation.isSlug(s) ? findOne(queries.bySlug, s) : Optional.empty();
    }

    private Optional<Event> findOne(Bound q, String value) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(q.sql())) {
            ps.setString(1, value);
            List<Event> rows = read(ps, 1);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        } catch (SQLException e) {
            throw failure("lookup", e);
        }
    }

    // ------------------------------------------------------------------ diagnostics

    /**
     * What this store rendered for its database and how the database plans it: the page SQL, the
     * bound dialect and server, the tie-break, and the database's own EXPLAIN of the page queries.
     */
    public StoreDiagnostics diagnostics() {
        return diagnostics;
    }

    private final StoreDiagnostics diagnostics = new StoreDiagnostics(this);

    /** The offset page query's plan, run exactly as {@link #findByHost(String, int, int)} runs it. */
    PlanReport explainFindByHost(String hostCode, int limit, int offset) {
        String host = HostCodes.normalize(hostCode);
        checkLimit(limit);
        Validation.offset(offset, MAX_OFFSET);
        return explain(qs -> qs.page, q -> ps -> bindPage(ps, q.params(), host, limit, offset, null));
    }

    /** The keyset page query's plan after a position ({@code createdAt}, {@code id}). */
    PlanReport explainKeyset(String hostCode, int limit, Instant afterCreatedAt, long afterId) {
        String host = HostCodes.normalize(hostCode);
        checkLimit(limit);
        CursorCodec.Position after = new CursorCodec.Position(Micros.truncate(afterCreatedAt), afterId);
        return explain(qs -> qs.keysetAfter, q -> ps -> bindPage(ps, q.params(), host, limit + 1, 0, after));
    }

    private PlanReport explain(java.util.function.Function<EventQueries, Bound> which,
            java.util.function.Function<Bound, StatementBinder> binder) {
        EventQueries qs = queries;
        Bound q = which.apply(qs);
        try (Connection c = dataSource.getConnection()) {
            return sql.explain(c, q.sql(), binder.apply(q), "idx_host_event_created");
        } catch (SQLException e) {
            if (qs.hinted && sql.isMissingIndex(e)) {
                queries = plainQueries;
                return explain(which, binder);
            }
            throw failure("explain", e);
        }
    }

    /** The page queries as currently rendered (hinted, or plain after a fallback). */
    EventQueries currentQueries() {
        return queries;
    }

    Dialect boundDialect() {
        return dialect;
    }

    boolean reusesStatements() {
        return statements != null;
    }

    @Override
    public String toString() {
        return "EventStore[" + dialect.name() + " on " + dialect.server() + "]";
    }

    // ------------------------------------------------------------------ plumbing

    static int checkLimit(int limit) {
        return Validation.limit(limit, MAX_LIMIT);
    }

    private void bindPage(PreparedStatement ps, P[] params, String host, int limit, int offset, CursorCodec.Position after)
            throws SQLException {
        for (int i = 0; i < params.length; i++) {
            int at = i + 1;
            switch (params[i]) {
                case HOST -> ps.setString(at, host);
                case LIMIT -> ps.setInt(at, limit);
                case OFFSET -> ps.setInt(at, offset);
                case AFTER_CREATED_AT -> sql.bindCreatedAt(ps, at, after.createdAt());
                case AFTER_ID -> ps.setLong(at, after.id());
                default -> throw new IllegalStateException("unexpected page parameter " + params[i]);
            }
        }
    }

    private List<Event> read(PreparedStatement ps, int expected) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<Event> out = new ArrayList<>(expected);
            while (rs.next()) {
                long id = rs.getLong(1);
                out.add(new Event(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), sql.readCreatedAt(rs, 7, id), rs.getBoolean(8)));
            }
            return out;
        }
    }

    private static DatabaseAccessException failure(String operation, SQLException e) {
        return DatabaseAccessException.of(operation, e);
    }

    /** Configures an {@link EventStore}. */
    public static final class Builder {
        private final DataSource dataSource;
        private Clock clock = Clock.systemUTC();
        private DialectProvider provider;
        private Dialect bound;
        private Boolean statementReuse;
        private byte[] cursorKey;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** The clock that stamps {@code created_at} (default: the UTC system clock). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Uses this provider instead of the one picked from the database's metadata; it is bound to the server at build. */
        public Builder dialect(DialectProvider value) {
            this.provider = Objects.requireNonNull(value, "dialect");
            this.bound = null;
            return this;
        }

        /**
         * Uses this dialect, already bound to the database's server, as it is (e.g. one with a role
         * replaced by {@link Dialect#with}); the store then borrows a connection at build only to check
         * that the {@code events} table is there.
         */
        public Builder dialect(Dialect value) {
            this.bound = Objects.requireNonNull(value, "dialect");
            this.provider = null;
            return this;
        }

        /** Uses the dialect with this name ({@code h2}, {@code sqlite}, {@code postgres}, {@code mysql}, {@code mariadb}). */
        public Builder dialect(String name) {
            return dialect(Dialects.byName(name));
        }

        /**
         * Whether the page queries keep a statement prepared on each physical connection and reuse it
         * (default: the dialect's choice, {@link QueryRole#reusePreparedStatements()}; on for SQLite,
         * whose driver parses and plans on every prepare). Turn it on for a driver that prepares
         * expensively, off to prepare and close per call.
         */
        public Builder statementReuse(boolean value) {
            this.statementReuse = value;
            return this;
        }

        /**
         * The key that signs keyset cursors (at least 16 bytes). Give every instance of an application
         * the same key so a cursor made by one is accepted by another; change it to invalidate all
         * cursors.
         *
         * <p>Without this call the store takes the key from the system property
         * {@value EventStore#CURSOR_KEY_PROPERTY}, else the environment variable
         * {@value EventStore#CURSOR_KEY_ENVIRONMENT} (format: {@link #cursorKey(String)}). When neither
         * is set it signs with a random key made once per JVM, shared by every store in it, and logs one
         * WARN: cursors then do not survive a restart and another instance rejects them (its clients
         * are told to start again from the first page). There is no built-in key.
         *
         * @throws ValidationException naming {@code cursor_key} when the key is shorter than 16 bytes
         */
        public Builder cursorKey(byte[] key) {
            if (key == null || key.length < CursorKeys.MIN_BYTES) {
                throw new ValidationException("cursor_key", "must be at least " + CursorKeys.MIN_BYTES + " bytes");
            }
            this.cursorKey = key.clone();
            return this;
        }

        /**
         * The cursor key as written in a setting (a configuration file, {@value EventStore#CURSOR_KEY_ENVIRONMENT}):
         * {@code base64:} followed by the base64 of at least 16 bytes (standard or URL-safe alphabet,
         * padding optional), or else text of at least 16 bytes in UTF-8, taken as it is. Whitespace
         * around the value is ignored. For a new key: {@code base64:$(openssl rand -base64 32)}.
         *
         * @throws ValidationException naming {@code cursor_key} when the value is malformed or too
         *     short; the message never repeats it
         */
        public Builder cursorKey(String setting) {
            this.cursorKey = CursorKeys.parse(setting, null);
            return this;
        }

        /**
         * Builds the store; borrows one connection to identify the database (unless a bound dialect was
         * given) and to check that it has the {@code events} table.
         *
         * @throws SchemaNotMigratedException when the database has no {@code events} table (run upgrade first)
         * @throws UnsupportedDatabaseException when no dialect on the class path handles the database
         * @throws ValidationException naming {@code cursor_key} when no key was given and the one in
         *     {@value EventStore#CURSOR_KEY_PROPERTY} or {@value EventStore#CURSOR_KEY_ENVIRONMENT} is malformed
         */
        public EventStore build() {
            return new EventStore(this);
        }
    }
}
