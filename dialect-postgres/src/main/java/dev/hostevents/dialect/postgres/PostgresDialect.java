package dev.hostevents.dialect.postgres;

import dev.hostevents.HostEventsException;
import dev.hostevents.MigrationLockTimeoutException;
import dev.hostevents.migration.CreateIndexStep;
import dev.hostevents.migration.HostEventsRevisions;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.IndexColumn;
import dev.hostevents.spi.IndexSpec;
import dev.hostevents.spi.LiveIndex;
import dev.hostevents.spi.MigrationLock;
import dev.hostevents.spi.PlanReport;
import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import dev.hostevents.spi.ServerInfo;
import dev.hostevents.spi.StatementBinder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jooq.SQLDialect;

/**
 * PostgreSQL (11 or newer; tested on 17) through pgjdbc. What differs from the SPI's defaults:
 * <ul>
 *   <li>An index added to the existing {@code events} table is built with
 *       {@code CREATE INDEX CONCURRENTLY} and dropped with {@code DROP INDEX CONCURRENTLY}: writers
 *       keep working during the build. Both must run outside a transaction block, so the statements
 *       are marked {@link RenderedStatement#outsideTransaction()}; the migrator commits first and
 *       records the revision in a transaction of its own afterwards. The four indexes of the initial
 *       schema are built in the same transaction as the (new, empty) table, with plain DDL.</li>
 *   <li>A killed or failed concurrent build leaves an {@code INVALID} index ({@code indisvalid =
 *       false}); {@link #readIndexes} reports it so that {@code verify} calls it drift and
 *       {@code upgrade} drops and rebuilds it.</li>
 *   <li>DDL runs under {@code SET lock_timeout} (the migrator's {@code lockTimeout}), reset after the
 *       revision; a timeout is SQLState {@code 55P03}.</li>
 *   <li>Migration lock: a session-level {@code pg_advisory_lock} on {@link #MIGRATION_LOCK_KEY},
 *       taken by polling (see {@link #acquireMigrationLock} for why not by waiting).</li>
 *   <li>{@code created_at} is {@code timestamp(6)} holding UTC; values are bound as text with an
 *       explicit {@code +00} offset so a user's {@code timestamptz} column works too.</li>
 *   <li>Page order {@code created_at DESC, id ASC}: PostgreSQL reads the index in order and sorts
 *       only rows tied on {@code created_at} (an Incremental Sort), whichever the tie-break.</li>
 * </ul>
 */
public final class PostgresDialect implements Dialect {
    /**
     * Key of the advisory lock that keeps two migrators apart: the ASCII bytes of {@code hostevnt}.
     * Advisory locks are per database, so migrators of different databases never wait for each other.
     */
    public static final long MIGRATION_LOCK_KEY = 0x686F_7374_6576_6E74L;

    /** How often a waiting migrator asks for the advisory lock again. */
    private static final long LOCK_POLL_MILLIS = 100;

    private static final Pattern CREATE_INDEX = Pattern.compile("^(CREATE (?:UNIQUE )?INDEX) ", Pattern.CASE_INSENSITIVE);
    private static final Pattern DROP_INDEX = Pattern.compile("^(DROP INDEX) ", Pattern.CASE_INSENSITIVE);
    private static final String CONCURRENT_COMMENT =
            "CONCURRENTLY cannot run inside a transaction block: run this statement on its own, in auto-commit";

    /** Fixed width, six fraction digits, explicit UTC offset: read right by timestamp and timestamptz alike. */
    private static final DateTimeFormatter UTC_TEXT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    /** Indexes the initial schema builds together with the table, by name. */
    private static final Set<String> INITIAL_SCHEMA_INDEXES = HostEventsRevisions.INITIAL_SCHEMA.upgradeSteps().stream()
            .filter(CreateIndexStep.class::isInstance)
            .map(step -> ((CreateIndexStep) step).index().name())
            .collect(Collectors.toUnmodifiableSet());

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public List<String> aliases() {
        return List.of("postgresql", "pg");
    }

    @Override
    public boolean handles(ServerInfo server) {
        return server.productKey().equals("postgresql");
    }

    @Override
    public SQLDialect sqlDialect(ServerInfo server) {
        return SQLDialect.POSTGRES;
    }

    @Override
    public ServerInfo offlineServer(String alias, String version) {
        return ServerInfo.of("PostgreSQL", version == null || version.isBlank() ? "17" : version.trim());
    }

    // ---------------------------------------------------------------- schema

    /**
     * Builds the index with {@code CONCURRENTLY}, outside the revision's transaction, unless it is one
     * of the initial schema's indexes. Those are created right after {@code CREATE TABLE} in the same
     * revision: the table is new and empty, nobody can be writing to it yet, and plain DDL keeps the
     * revision atomic (all or nothing) and does not wait for every open transaction of the database as
     * a concurrent build does.
     */
    @Override
    public List<RenderedStatement> createIndex(IndexSpec index, RenderContext ctx) {
        List<RenderedStatement> plain = Dialect.super.createIndex(index, ctx);
        return withTableNew(index) ? plain : concurrently(plain, CREATE_INDEX);
    }

    /**
     * {@code DROP INDEX CONCURRENTLY}, which waits for running queries on the table instead of blocking
     * new ones; plain for the initial schema's indexes, which are only dropped on the way to dropping
     * the table itself.
     */
    @Override
    public List<RenderedStatement> dropIndex(IndexSpec index, RenderContext ctx) {
        // PostgreSQL index names are schema-wide: no ON clause (jOOQ leaves it out for POSTGRES anyway).
        List<RenderedStatement> plain = List.of(ctx.statement(ctx.dsl().dropIndex(org.jooq.impl.DSL.name(index.name()))));
        return withTableNew(index) ? plain : concurrently(plain, DROP_INDEX);
    }

    private static boolean withTableNew(IndexSpec index) {
        return INITIAL_SCHEMA_INDEXES.contains(index.name());
    }

    /** jOOQ's DSL has no CONCURRENTLY: rewrite the rendered statement's head, failing loudly if it changed. */
    private static List<RenderedStatement> concurrently(List<RenderedStatement> rendered, Pattern head) {
        List<RenderedStatement> out = new ArrayList<>(rendered.size());
        for (RenderedStatement s : rendered) {
            Matcher m = head.matcher(s.sql());
            if (!m.find()) {
                throw new IllegalStateException("cannot add CONCURRENTLY to unexpected jOOQ output: " + s.sql());
            }
            out.add(new RenderedStatement(m.replaceFirst("$1 CONCURRENTLY "), true, CONCURRENT_COMMENT));
        }
        return out;
    }

    /**
     * Reads the table's indexes from {@code pg_index}: key columns in order (INCLUDE columns left out),
     * direction from bit 1 of {@code indoption}, uniqueness and {@code indisvalid}. The primary key is
     * left out. Expression columns come back as their expression text, so they never match a column.
     */
    @Override
    public List<LiveIndex> readIndexes(Connection connection, String table) throws SQLException {
        String sql = """
                SELECT i.relname, ix.indisunique, ix.indisvalid, k.ord,
                       pg_get_indexdef(ix.indexrelid, k.ord::int, true) AS column_name,
                       (ix.indoption[k.ord - 1] & 1) = 1 AS descending
                FROM pg_index ix
                JOIN pg_class t ON t.oid = ix.indrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                JOIN pg_class i ON i.oid = ix.indexrelid
                CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                WHERE t.relname = ? AND n.nspname = current_schema()
                  AND NOT ix.indisprimary AND k.ord <= ix.indnkeyatts
                ORDER BY i.relname, k.ord""";
        Map<String, List<IndexColumn>> columns = new LinkedHashMap<>();
        Map<String, boolean[]> flags = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    flags.putIfAbsent(name, new boolean[] {rs.getBoolean(2), rs.getBoolean(3)});
                    columns.computeIfAbsent(name, n -> new ArrayList<>())
                            .add(new IndexColumn(rs.getString(5), rs.getBoolean(6)));
                }
            }
        }
        List<LiveIndex> out = new ArrayList<>(columns.size());
        columns.forEach((name, cols) -> out.add(new LiveIndex(name, cols, flags.get(name)[0], flags.get(name)[1])));
        return out;
    }

    /** Looks in the connection's {@code current_schema()}, as {@link #readIndexes} does. */
    @Override
    public boolean tableExists(Connection connection, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE c.relname = ? AND n.nspname = current_schema() AND c.relkind IN ('r', 'p')")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // ---------------------------------------------------------------- migration behaviour

    @Override
    public boolean supportsTransactionalDdl() {
        return true;
    }

    /**
     * Takes the session-level advisory lock {@link #MIGRATION_LOCK_KEY} on the migration connection,
     * asking with {@code pg_try_advisory_lock} every {@value #LOCK_POLL_MILLIS} ms until {@code timeout}.
     *
     * <p>Session-level, because the lock must outlive the transactions a run commits around
     * {@code CREATE INDEX CONCURRENTLY}. Polled, not waited for in {@code pg_advisory_lock}: a
     * concurrent index build waits for every transaction that holds a snapshot, and a second migrator
     * blocked inside {@code pg_advisory_lock} holds one while it waits for the first, which is a
     * deadlock. Between two polls the waiting connection is idle and holds nothing.
     */
    @Override
    public MigrationLock acquireMigrationLock(Connection connection, DataSource dataSource, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!tryAdvisoryLock(connection)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new MigrationLockTimeoutException("another migrator held the migration lock (pg_advisory_lock "
                        + MIGRATION_LOCK_KEY + ") for longer than " + timeout.toMillis() + " ms", null);
            }
            try {
                Thread.sleep(Math.min(LOCK_POLL_MILLIS, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrationLockTimeoutException("interrupted while waiting for the migration lock", null);
            }
        }
        boolean[] released = {false};
        return () -> {
            if (released[0]) {
                return;
            }
            released[0] = true;
            // A closed connection has lost its session, and with it the lock.
            if (!connection.isClosed()) {
                try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    ps.setLong(1, MIGRATION_LOCK_KEY);
                    ps.executeQuery().close();
                }
            }
        };
    }

    private static boolean tryAdvisoryLock(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, MIGRATION_LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * {@code SET lock_timeout}: a DDL statement that must wait for a lock held by a long transaction
     * gives up after {@code lockTimeout} instead of queueing, and blocking every query behind itself,
     * indefinitely. Session-level, not {@code SET LOCAL}: it must still hold for the concurrent index
     * build, which runs after the revision's transaction committed. {@link #afterDdl} resets it.
     */
    @Override
    public void beforeDdl(Connection connection, Duration lockTimeout) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET lock_timeout = " + Math.max(1, lockTimeout.toMillis()));
        }
    }

    /** {@code RESET lock_timeout}, so a pooled connection goes back with the server's default. */
    @Override
    public void afterDdl(Connection connection) throws SQLException {
        if (!connection.isClosed()) {
            try (Statement s = connection.createStatement()) {
                s.execute("RESET lock_timeout");
            }
        }
    }

    /** {@code 55P03 lock_not_available}: a {@code lock_timeout} expired (or a {@code NOWAIT} failed). */
    @Override
    public boolean isLockTimeout(SQLException e) {
        return "55P03".equals(e.getSQLState());
    }

    /** Only {@code 23505 unique_violation}: other integrity errors (23502 not null, …) are not retried. */
    @Override
    public boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    // ---------------------------------------------------------------- values

    /**
     * Binds {@code created_at} as untyped text such as {@code 2025-10-08 20:52:27.123456+00}. The
     * server types the parameter from the column: a {@code timestamp} column ignores the offset (the
     * value is UTC already), a {@code timestamptz} column honours it. Either way the session's
     * {@code TimeZone} plays no part, which a typed {@code LocalDateTime} (converted with it when
     * compared to {@code timestamptz}) could not promise.
     */
    @Override
    public void bindCreatedAt(PreparedStatement statement, int index, Instant value) throws SQLException {
        statement.setObject(index, UTC_TEXT.format(value), Types.OTHER);
    }

    /**
     * Reads {@code timestamp} as a UTC {@link LocalDateTime}; a {@code timestamptz} column (a user's
     * schema may have one) as an {@link OffsetDateTime}, which is an instant whatever the session's
     * {@code TimeZone}.
     */
    @Override
    public Instant readCreatedAt(ResultSet rs, int column, long rowId) throws SQLException {
        Instant value;
        if ("timestamptz".equals(rs.getMetaData().getColumnTypeName(column))) {
            OffsetDateTime odt = rs.getObject(column, OffsetDateTime.class);
            value = odt == null ? null : odt.toInstant();
        } else {
            LocalDateTime ldt = rs.getObject(column, LocalDateTime.class);
            value = ldt == null ? null : ldt.toInstant(ZoneOffset.UTC);
        }
        if (value == null) {
            throw new HostEventsException("events row id " + rowId + " has no created_at");
        }
        return value;
    }

    /** {@code RETURNING id} rather than pgjdbc's {@code RETURNING *} for generated keys. */
    @Override
    public PreparedStatement prepareInsert(Connection connection, String sql) throws SQLException {
        return connection.prepareStatement(sql, new String[] {"id"});
    }

    // ---------------------------------------------------------------- the plan

    /**
     * {@code EXPLAIN (FORMAT JSON)} of the exact statement with its parameters bound. The index is
     * used when an Index Scan or Index Only Scan node reads {@code indexName}; the plan sorts when it
     * has a Sort node, or an Incremental Sort whose presorted key does not include {@code created_at}
     * (one on {@code created_at} only orders rows tied on it).
     */
    @Override
    public PlanReport explain(Connection connection, String sql, StatementBinder binder, String indexName) throws SQLException {
        String json;
        try (PreparedStatement ps = connection.prepareStatement("EXPLAIN (FORMAT JSON) " + sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                json = rs.getString(1);
            }
        }
        ExplainPlan plan = ExplainPlan.parse(json);
        boolean usesIndex = plan.nodes().stream().anyMatch(n -> n.isOrderedScanOf(indexName));
        List<String> sorts = plan.nodes().stream().filter(ExplainPlan.Node::isFullSort).map(ExplainPlan.Node::describe).toList();
        String detail = usesIndex ? (sorts.isEmpty() ? null : String.join(", ", sorts)) : "plan: " + plan.outline();
        return PlanReport.of(json, indexName, usesIndex, !sorts.isEmpty(), detail);
    }
}
