package dev.hostevents.dialect.mysql;

import dev.hostevents.HostCodes;
import dev.hostevents.MigrationLockTimeoutException;
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
import dev.hostevents.spi.TieBreak;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultDataType;
import org.jooq.impl.SQLDataType;

/**
 * MySQL and MariaDB, old and new, through either driver ({@code org.mariadb.jdbc:mariadb-java-client} or
 * {@code com.mysql:mysql-connector-j}). Name {@code mysql}, alias {@code mariadb}.
 *
 * <p>Two generations, told apart by the server version ({@link #keepsDescendingIndexes}):
 * <ul>
 *   <li><b>DESC honoured</b> (MySQL 8.0+, MariaDB 10.8+): {@code idx_host_event_created} is built
 *       {@code (host_code, created_at DESC)}; InnoDB appends the primary key ascending, so the page order
 *       {@code created_at DESC, id ASC} is read forwards from the index with no sort.</li>
 *   <li><b>DESC dropped</b> (MySQL before 8.0, MariaDB before 10.8): these servers accept {@code DESC} in
 *       {@code CREATE INDEX} and silently build the column ascending. The index is therefore rendered
 *       without {@code DESC}, the migration log records "ascending by design", {@code verify} expects it
 *       ascending, and the page order is {@code created_at DESC, id DESC}: a backward scan of
 *       {@code (host_code, created_at, id)}, again with no sort. If the server is later upgraded,
 *       {@code verify} advises rebuilding the index descending; that is advice, not drift.</li>
 * </ul>
 *
 * <p>Other behaviour:
 * <ul>
 *   <li>{@code created_at} is {@code DATETIME(6)} holding UTC wall time, bound as the text
 *       {@code yyyy-MM-dd HH:mm:ss.ffffff} and read as a {@link LocalDateTime}: no time zone of the
 *       server, the session or the JVM is applied ({@code DATETIME}, unlike {@code TIMESTAMP}, is never
 *       converted by the server).</li>
 *   <li>The table is created {@code DEFAULT CHARSET=utf8mb4}: titles and descriptions are Unicode
 *       (emoji included) and old servers default to {@code latin1} or three-byte {@code utf8}.</li>
 *   <li>DDL is not transactional: the migrator checks {@code information_schema} before each built-in
 *       step, so a run that died between the DDL and the version update is completed, never repeated.</li>
 *   <li>Migration lock: {@code GET_LOCK} on the migration connection, named after the schema; DDL waits at
 *       most the migrator's lock timeout for a metadata lock ({@code lock_wait_timeout}).</li>
 *   <li>Keyset pages use the expanded predicate {@code created_at < ? OR (created_at = ? AND id <op> ?)}:
 *       both servers answer it as a {@code range} on the composite index, which they do not do for a
 *       row value {@code (created_at, id) < (?, ?)}.</li>
 * </ul>
 */
public final class MySqlDialect implements Dialect {
    /** Lock names are server-wide; longer than this, MySQL refuses them. */
    private static final int MAX_LOCK_NAME = 64;
    private static final String LOCK_PREFIX = "hostevents_migration";
    private static final String BY_DESIGN = "ascending by design on ";
    /** ER_DUP_KEY, ER_DUP_ENTRY, ER_DUP_ENTRY_WITH_KEY_NAME. */
    private static final Set<Integer> DUPLICATE_KEY = Set.of(1022, 1062, 1586);
    /** ER_LOCK_WAIT_TIMEOUT (row and metadata locks, MariaDB NOWAIT), ER_LOCK_NOWAIT (MySQL 8 NOWAIT). */
    private static final Set<Integer> LOCK_TIMEOUT = Set.of(1205, 3572);
    /** Fixed width, six fraction digits: what a {@code DATETIME(6)} literal looks like. */
    private static final DateTimeFormatter DATETIME_TEXT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
    private static final org.jooq.DataType<LocalDateTime> DATETIME_MYSQL =
            new DefaultDataType<>(SQLDialect.MYSQL, LocalDateTime.class, "datetime").precision(6);
    private static final org.jooq.DataType<LocalDateTime> DATETIME_MARIADB =
            new DefaultDataType<>(SQLDialect.MARIADB, LocalDateTime.class, "datetime").precision(6);

    /** Creates the dialect; {@link java.util.ServiceLoader} calls this. */
    public MySqlDialect() {
    }

    // ---------------------------------------------------------------- identity

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public List<String> aliases() {
        return List.of("mariadb");
    }

    @Override
    public boolean handles(ServerInfo server) {
        String key = server.productKey();
        return key.contains("mysql") || key.contains("mariadb");
    }

    /**
     * {@link SQLDialect#MARIADB} for MariaDB 10.6+, {@link SQLDialect#MYSQL} otherwise: jOOQ's MariaDB
     * dialect renders {@code OFFSET ? ROWS FETCH NEXT ? ROWS ONLY}, which MariaDB parses only from
     * 10.6; older MariaDB gets MySQL's {@code LIMIT ? OFFSET ?}, which it has always understood.
     */
    @Override
    public SQLDialect sqlDialect(ServerInfo server) {
        return isMariaDb(server) && server.isAtLeast(10, 6) ? SQLDialect.MARIADB : SQLDialect.MYSQL;
    }

    /**
     * Product and version from {@code SELECT VERSION()}: MariaDB always says so there, while
     * mysql-connector-j names every server "MySQL" and older protocols report a MariaDB 10.x as
     * {@code 5.5.5-10.x}.
     */
    @Override
    public ServerInfo describe(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String version;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            version = rs.getString(1);
        }
        if (version.startsWith("5.5.5-")) {
            version = version.substring("5.5.5-".length());
        }
        boolean mariaDb = version.toLowerCase(Locale.ROOT).contains("mariadb")
                || (product != null && product.toLowerCase(Locale.ROOT).contains("mariadb"));
        return ServerInfo.of(mariaDb ? "MariaDB" : "MySQL", version);
    }

    /**
     * The server for offline SQL: {@code mysql} means MySQL (default 8.0), {@code mariadb} means MariaDB
     * (default 11.4). A version string that names MariaDB ({@code 10.2.11-MariaDB}) is MariaDB whatever
     * the alias.
     */
    @Override
    public ServerInfo offlineServer(String alias, String version) {
        boolean mariaDb = "mariadb".equalsIgnoreCase(alias == null ? "" : alias.trim())
                || (version != null && version.toLowerCase(Locale.ROOT).contains("mariadb"));
        String v = version == null || version.isBlank() ? (mariaDb ? "11.4" : "8.0") : version.trim();
        return ServerInfo.of(mariaDb ? "MariaDB" : "MySQL", v);
    }

    /** True for MariaDB, false for MySQL. */
    static boolean isMariaDb(ServerInfo server) {
        return server.productKey().contains("mariadb") || server.version().toLowerCase(Locale.ROOT).contains("mariadb");
    }

    /**
     * True when the server builds {@code DESC} index columns descending: MySQL 8.0+, MariaDB 10.8+.
     * Older servers parse {@code DESC} and build the column ascending.
     */
    public static boolean keepsDescendingIndexes(ServerInfo server) {
        return isMariaDb(server) ? server.isAtLeast(10, 8) : server.isAtLeast(8, 0);
    }

    /** "MariaDB 10.2" / "MySQL 5.7": the product and the version that decides the generation. */
    private static String shortName(ServerInfo server) {
        return (isMariaDb(server) ? "MariaDB " : "MySQL ") + server.major() + "." + server.minor();
    }

    // ---------------------------------------------------------------- schema

    /**
     * {@code DATETIME(6)}: UTC wall time, microseconds, never converted by the server's time zone. (jOOQ
     * renders {@link SQLDataType#LOCALDATETIME} as {@code TIMESTAMP} here, which the server converts with
     * the session {@code time_zone} and which ends in 2038.)
     */
    @Override
    public org.jooq.DataType<?> createdAtType(ServerInfo server) {
        return sqlDialect(server) == SQLDialect.MARIADB ? DATETIME_MARIADB : DATETIME_MYSQL;
    }

    /** The contract table, {@code DEFAULT CHARSET=utf8mb4} so any Unicode title fits on every server. */
    @Override
    public List<RenderedStatement> createEventsTable(RenderContext ctx) {
        return List.of(ctx.statement(ctx.dsl().createTable(DSL.name("events"))
                .column(DSL.name("id"), SQLDataType.INTEGER.identity(true))
                .column(DSL.name("title"), SQLDataType.VARCHAR(200).nullable(false))
                .column(DSL.name("slug"), SQLDataType.VARCHAR(50).nullable(false))
                .column(DSL.name("description"), SQLDataType.CLOB.nullable(true))
                .column(DSL.name("short_code"), SQLDataType.VARCHAR(20).nullable(false))
                .column(DSL.name("host_code"), SQLDataType.VARCHAR(50).nullable(false))
                .column(DSL.name("created_at"), createdAtType(ctx.server()).nullable(false))
                .column(DSL.name("is_active"), SQLDataType.BOOLEAN.nullable(false).defaultValue(DSL.inline(true)))
                .primaryKey(DSL.name("id"))
                .storage("DEFAULT CHARSET=utf8mb4")));
    }

    /** On a server that drops {@code DESC}: the declared index with every column ascending. */
    @Override
    public IndexSpec expectedIndex(IndexSpec declared, ServerInfo server) {
        return keepsDescendingIndexes(server) ? declared : declared.allAscending();
    }

    /** "ascending by design on MariaDB 10.2: it drops DESC" when a declared DESC column is built ascending. */
    @Override
    public String buildNote(IndexSpec declared, ServerInfo server) {
        return declared.hasDescendingColumn() && !keepsDescendingIndexes(server)
                ? BY_DESIGN + shortName(server) + ": it drops DESC"
                : null;
    }

    /**
     * After a server upgrade an index built "ascending by design" (as its revision's log note says) is
     * still ascending: {@code verify} accepts it and {@link #advice} says it can be rebuilt.
     */
    @Override
    public Optional<IndexSpec> indexBuiltByDesign(IndexSpec declared, String buildNote, ServerInfo server) {
        return buildNote != null && buildNote.startsWith(BY_DESIGN) && declared.hasDescendingColumn()
                ? Optional.of(declared.allAscending())
                : Optional.empty();
    }

    /** An ascending build of a {@code DESC} index on a server that now keeps {@code DESC} can be rebuilt. */
    @Override
    public List<String> advice(IndexSpec declared, LiveIndex live, ServerInfo server) {
        if (declared.hasDescendingColumn() && keepsDescendingIndexes(server) && live.matches(declared.allAscending())) {
            String columns = String.join(", ", declared.columns().stream()
                    .map(c -> c.name() + (c.descending() ? " DESC" : "")).toList());
            return List.of("index " + declared.name() + " was built ascending by a server that dropped DESC; "
                    + shortName(server) + " keeps DESC, so it can now be rebuilt descending as declared: DROP INDEX "
                    + declared.name() + " ON " + declared.table() + "; CREATE " + (declared.unique() ? "UNIQUE " : "")
                    + "INDEX " + declared.name() + " ON " + declared.table() + "(" + columns + ") (or downgrade below "
                    + "its revision and upgrade again). Until then the page query (created_at DESC, id ASC on this "
                    + "server) sorts the host's rows.");
        }
        return List.of();
    }

    /**
     * Reads {@code information_schema.STATISTICS} of the current schema: {@code COLLATION} is {@code D}
     * for a column the server really keeps descending, {@code A} otherwise (old servers say {@code A}
     * even when {@code DESC} was written). The primary key is left out.
     */
    @Override
    public List<LiveIndex> readIndexes(Connection connection, String table) throws SQLException {
        record Column(String index, String name, boolean descending, boolean unique) {
        }
        List<Column> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT INDEX_NAME, COLUMN_NAME, COLLATION, NON_UNIQUE FROM information_schema.STATISTICS"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY'"
                        + " ORDER BY INDEX_NAME, SEQ_IN_INDEX")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // A functional key part (MySQL 8) has no column name.
                    String column = rs.getString(2) == null ? "(expression)" : rs.getString(2);
                    rows.add(new Column(rs.getString(1), column, "D".equals(rs.getString(3)), rs.getInt(4) == 0));
                }
            }
        }
        Map<String, List<Column>> byIndex = new LinkedHashMap<>();
        for (Column c : rows) {
            byIndex.computeIfAbsent(c.index(), k -> new ArrayList<>()).add(c);
        }
        List<LiveIndex> out = new ArrayList<>();
        byIndex.forEach((name, columns) -> out.add(new LiveIndex(name,
                columns.stream().map(c -> new IndexColumn(c.name(), c.descending())).toList(),
                columns.get(0).unique(), true)));
        return out;
    }

    /** Looks in {@code information_schema.TABLES} of the current schema (either driver, any catalog setting). */
    @Override
    public boolean tableExists(Connection connection, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // ---------------------------------------------------------------- migration behaviour

    /** MySQL and MariaDB commit implicitly around every DDL statement. */
    @Override
    public boolean supportsTransactionalDdl() {
        return false;
    }

    /**
     * {@code GET_LOCK} on the migration connection. A named lock belongs to the session, not to a
     * transaction, so the implicit commits of DDL do not release it; it is released by
     * {@code RELEASE_LOCK} or when the connection closes (also if the JVM dies). The name carries the
     * schema, since lock names are server-wide: migrators of different schemas do not wait for each other
     * (a name cut at 64 characters may be shared by two schemas, which only makes them take turns).
     */
    @Override
    public MigrationLock acquireMigrationLock(Connection connection, DataSource dataSource, Duration timeout)
            throws SQLException {
        String lockName;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            rs.next();
            String schema = rs.getString(1);
            lockName = schema == null ? LOCK_PREFIX : LOCK_PREFIX + ":" + schema;
        }
        if (lockName.length() > MAX_LOCK_NAME) {
            lockName = lockName.substring(0, MAX_LOCK_NAME);
        }
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        Object granted;
        try (PreparedStatement ps = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            ps.setString(1, lockName);
            ps.setLong(2, seconds);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                granted = rs.getObject(1);
            }
        }
        if (granted == null) {
            // NULL: the wait was interrupted (KILL QUERY) or the server ran out of memory, not a timeout.
            throw new SQLException("GET_LOCK('" + lockName + "') failed (returned NULL)");
        }
        if (((Number) granted).intValue() != 1) {
            throw new MigrationLockTimeoutException("another migrator held the migration lock (GET_LOCK) for longer than "
                    + timeout.toMillis() + " ms", null);
        }
        String held = lockName;
        return () -> {
            if (!connection.isClosed()) {
                try (PreparedStatement ps = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                    ps.setString(1, held);
                    ps.executeQuery().close();
                }
            }
        };
    }

    /**
     * DDL waits for a metadata lock up to {@code lock_wait_timeout} (default: a year), queueing every
     * query of the table behind it: cap it at the migrator's lock timeout (whole seconds, at least 1).
     */
    @Override
    public void beforeDdl(Connection connection, Duration lockTimeout) throws SQLException {
        long seconds = Math.max(1, (lockTimeout.toMillis() + 999) / 1000);
        try (Statement s = connection.createStatement()) {
            s.execute("SET SESSION lock_wait_timeout = " + seconds);
        }
    }

    /** Gives the connection back to its pool with the server's default {@code lock_wait_timeout}. */
    @Override
    public void afterDdl(Connection connection) throws SQLException {
        if (!connection.isClosed()) {
            try (Statement s = connection.createStatement()) {
                s.execute("SET SESSION lock_wait_timeout = DEFAULT");
            }
        }
    }

    /** Error 1205 (lock wait timeout, row or metadata lock) or 3572 (MySQL 8 {@code NOWAIT}). */
    @Override
    public boolean isLockTimeout(SQLException e) {
        return LOCK_TIMEOUT.contains(e.getErrorCode());
    }

    /**
     * Error 1062 (duplicate entry), or 1022/1586; SQLState {@code 23000} alone would also match a
     * {@code NOT NULL} violation, which no retry can fix.
     */
    @Override
    public boolean isUniqueViolation(SQLException e) {
        return DUPLICATE_KEY.contains(e.getErrorCode());
    }

    // ---------------------------------------------------------------- page query

    /**
     * {@link TieBreak#ID_ASC} where {@code DESC} is kept (InnoDB appends the primary key ascending to the
     * descending index); {@link TieBreak#ID_DESC} on older servers, which read the ascending
     * {@code (host_code, created_at, id)} backwards.
     */
    @Override
    public TieBreak tieBreak(ServerInfo server) {
        return keepsDescendingIndexes(server) ? TieBreak.ID_ASC : TieBreak.ID_DESC;
    }

    /**
     * The expanded predicate {@code created_at < c OR (created_at = c AND id > i)} ({@code id < i} for
     * {@link TieBreak#ID_DESC}). Both generations turn it into a {@code range} over
     * {@code (host_code, created_at, id)}, which they do not do for a row-value comparison.
     */
    @Override
    public Condition keysetAfter(Field<Object> createdAt, Field<Object> id, Field<Object> afterCreatedAt,
            Field<Object> afterId, TieBreak tieBreak) {
        Condition idAfter = tieBreak == TieBreak.ID_ASC ? id.gt(afterId) : id.lt(afterId);
        return createdAt.lt(afterCreatedAt).or(createdAt.eq(afterCreatedAt).and(idAfter));
    }

    /**
     * Binds {@code created_at} as the text {@code yyyy-MM-dd HH:mm:ss.ffffff} (UTC wall time), which the
     * server converts to {@code DATETIME(6)} exactly, also inside an index range. A
     * {@link LocalDateTime} would do on most pairs, but mysql-connector-j takes a MariaDB before 11 for
     * MySQL 5.5.5 (the version its handshake reports) and silently drops the fraction of a second.
     */
    @Override
    public void bindCreatedAt(PreparedStatement statement, int index, Instant value) throws SQLException {
        statement.setString(index, DATETIME_TEXT.format(value));
    }

    /**
     * {@code EXPLAIN} of the query with its binds, plus {@code EXPLAIN FORMAT=JSON} where the server has
     * it. The page query is right when the table's row reads {@code key = indexName} and its
     * {@code Extra} has no {@code Using filesort} (nor {@code Using temporary}). Neither MariaDB's
     * tabular nor its JSON plan says "backward"; MySQL 8 says {@code Backward index scan} in
     * {@code Extra}, which is then shown in the plan.
     */
    @Override
    public PlanReport explain(Connection connection, String sql, StatementBinder binder, String indexName)
            throws SQLException {
        StringBuilder plan = new StringBuilder();
        boolean usesIndex = false;
        boolean sorts = false;
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("EXPLAIN " + sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    String key = null;
                    String extra = null;
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        String label = md.getColumnLabel(i);
                        String value = rs.getString(i);
                        row.append(i == 1 ? "" : " | ").append(label).append('=').append(value);
                        if (label.equalsIgnoreCase("key")) {
                            key = value;
                        } else if (label.equalsIgnoreCase("Extra")) {
                            extra = value;
                        }
                    }
                    plan.append(row).append('\n');
                    keys.add(String.valueOf(key));
                    if (indexName.equalsIgnoreCase(key)) {
                        usesIndex = true;
                    }
                    if (extra != null && (extra.contains("Using filesort") || extra.contains("Using temporary"))) {
                        sorts = true;
                    }
                }
            }
        }
        String json = explainJson(connection, sql, binder);
        if (json != null) {
            plan.append(json).append('\n');
        }
        // The plans quote the bound values, the host code among them: a credential, masked like everywhere else.
        return PlanReport.of(HostCodes.maskAll(plan.toString().strip()), indexName, usesIndex, sorts,
                usesIndex ? null : "key " + keys);
    }

    /** {@code EXPLAIN FORMAT=JSON} (MySQL 5.6+, MariaDB 10.1+); {@code null} where the server lacks it. */
    private static String explainJson(Connection connection, String sql, StatementBinder binder) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("EXPLAIN FORMAT=JSON " + sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == 1064) { // syntax error: a server without FORMAT=JSON
                return null;
            }
            throw e;
        }
    }
}
