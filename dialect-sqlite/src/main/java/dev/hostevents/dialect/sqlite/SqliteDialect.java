package dev.hostevents.dialect.sqlite;

import dev.hostevents.HostEventsException;
import dev.hostevents.MigrationLockTimeoutException;
import dev.hostevents.UnsupportedDatabaseException;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.IndexColumn;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jooq.DataType;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultDataType;
import org.jooq.impl.SQLDataType;
import org.sqlite.SQLiteConfig.TransactionMode;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite through sqlite-jdbc ({@code org.xerial:sqlite-jdbc}). The database the original Python app
 * runs on, so everything here matches what SQLAlchemy and Alembic made:
 * <ul>
 *   <li><b>Table.</b> Laid out as SQLAlchemy creates it: {@code id INTEGER NOT NULL … PRIMARY KEY (id)},
 *       so {@code id} is the rowid (no {@code AUTOINCREMENT}, no {@code sqlite_autoindex}), then
 *       {@code VARCHAR(n)}, {@code TEXT}, {@code DATETIME} and {@code BOOLEAN} columns in the contract
 *       order. {@code PRAGMA index_list('events')} after {@code upgrade head} prints exactly the
 *       reference's five rows.</li>
 *   <li><b>Timestamps.</b> {@code created_at} is TEXT {@code YYYY-MM-DD HH:MM:SS.ffffff} in UTC, always
 *       six fraction digits ({@link SqliteTimestampConverter}); shorter forms are read and normalised.</li>
 *   <li><b>Page order.</b> {@code created_at DESC, id ASC}: the index {@code (host_code, created_at DESC)}
 *       ends with the rowid ascending, so it gives this order with no sort; {@code id DESC} would add a
 *       {@code TEMP B-TREE}. The keyset predicate is the SPI's default expanded form
 *       {@code created_at <= ? AND (created_at < ? OR id > ?)}, which SQLite answers as
 *       {@code SEARCH events USING INDEX idx_host_event_created (host_code=? AND created_at<?)}; the
 *       other form, {@code created_at < ? OR (created_at = ? AND id > ?)}, gets only
 *       {@code (host_code=?)} from SQLite 3.40 and 3.54 once the table has rows, so a deep page would
 *       walk every newer row of the host.</li>
 *   <li><b>Migrations.</b> DDL is transactional: each revision runs inside {@code BEGIN IMMEDIATE},
 *       which is also the lock between two migrators. The second one waits in SQLite's busy handler
 *       (the migration lock wait, for the length of the run) and then finds nothing to do.</li>
 *   <li><b>Index directions</b> come from {@code PRAGMA index_list} and {@code PRAGMA index_xinfo};
 *       {@code DatabaseMetaData.getIndexInfo} loses {@code DESC} with sqlite-jdbc.</li>
 * </ul>
 *
 * <p>Connections should come from {@link SqliteDataSources}, which turns on foreign keys, a busy
 * timeout and {@code IMMEDIATE} write transactions.
 */
public final class SqliteDialect implements Dialect {
    /** The SQLite version offline SQL is rendered for when none is named: the one sqlite-jdbc 3.54 bundles. */
    static final String DEFAULT_VERSION = "3.54";

    /** SQLAlchemy's column types for SQLite, spelled as it spells them (the declared type is kept verbatim). */
    private static final DataType<Integer> INTEGER = new DefaultDataType<>(SQLDialect.SQLITE, SQLDataType.INTEGER, "INTEGER");
    private static final DataType<String> VARCHAR = new DefaultDataType<>(SQLDialect.SQLITE, SQLDataType.VARCHAR, "VARCHAR");
    private static final DataType<String> TEXT = new DefaultDataType<>(SQLDialect.SQLITE, SQLDataType.CLOB, "TEXT");
    private static final DataType<java.time.LocalDateTime> DATETIME =
            new DefaultDataType<>(SQLDialect.SQLITE, SQLDataType.LOCALDATETIME, "DATETIME");
    private static final DataType<Boolean> BOOLEAN = new DefaultDataType<>(SQLDialect.SQLITE, SQLDataType.BOOLEAN, "BOOLEAN");

    /** Creates the dialect; {@link java.util.ServiceLoader} does this, users need not. */
    public SqliteDialect() {
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public boolean handles(ServerInfo server) {
        return server.productKey().equals("sqlite");
    }

    @Override
    public SQLDialect sqlDialect(ServerInfo server) {
        return SQLDialect.SQLITE;
    }

    /** SQLite renders the same SQL on every 3.x version that matters here; the version is only reported. */
    @Override
    public ServerInfo offlineServer(String alias, String version) {
        return ServerInfo.of("SQLite", version == null || version.isBlank() ? DEFAULT_VERSION : version.trim());
    }

    // ---------------------------------------------------------------- schema

    /** {@code DATETIME}, as SQLAlchemy declares it; the values are TEXT (see {@link SqliteTimestampConverter}). */
    @Override
    public DataType<?> createdAtType(ServerInfo server) {
        return DATETIME;
    }

    /**
     * The table as SQLAlchemy's {@code CREATE TABLE} lays it out for the original app. The declared type
     * of {@code id} must be exactly {@code INTEGER} for it to become the rowid; jOOQ's own SQLite types
     * would render {@code int} (a separate {@code sqlite_autoindex}) or, as an identity,
     * {@code AUTOINCREMENT}. One addition over SQLAlchemy: {@code is_active} defaults to true, as the
     * design asks.
     */
    @Override
    public List<RenderedStatement> createEventsTable(RenderContext ctx) {
        return List.of(ctx.statement(ctx.dsl().createTable(DSL.name("events"))
                .column(DSL.name("id"), INTEGER.nullable(false))
                .column(DSL.name("title"), VARCHAR.length(200).nullable(false))
                .column(DSL.name("slug"), VARCHAR.length(50).nullable(false))
                .column(DSL.name("description"), TEXT)
                .column(DSL.name("short_code"), VARCHAR.length(20).nullable(false))
                .column(DSL.name("host_code"), VARCHAR.length(50).nullable(false))
                .column(DSL.name("created_at"), DATETIME.nullable(false))
                .column(DSL.name("is_active"), BOOLEAN.nullable(false).defaultValue(DSL.inline(true)))
                .primaryKey(DSL.name("id"))));
    }

    /**
     * Reads {@code PRAGMA index_list} and, per index, the key columns of {@code PRAGMA index_xinfo} with
     * their {@code desc} flag. Indexes that are the table's own primary key (origin {@code pk}) are left
     * out; there is none when {@code id} is the rowid.
     */
    @Override
    public List<LiveIndex> readIndexes(Connection connection, String table) throws SQLException {
        record Listed(String name, boolean unique) {
        }
        List<Listed> listed = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT name, \"unique\", origin FROM pragma_index_list(?) ORDER BY seq")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!"pk".equals(rs.getString(3))) {
                        listed.add(new Listed(rs.getString(1), rs.getInt(2) != 0));
                    }
                }
            }
        }
        List<LiveIndex> out = new ArrayList<>(listed.size());
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT name, \"desc\" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno")) {
            for (Listed index : listed) {
                ps.setString(1, index.name());
                List<IndexColumn> columns = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String column = rs.getString(1);
                        // An expression key has no column name; it can never match a declared index.
                        columns.add(new IndexColumn(column == null ? "(expression)" : column, rs.getInt(2) != 0));
                    }
                }
                out.add(new LiveIndex(index.name(), columns, index.unique(), true));
            }
        }
        return out;
    }

    /** Asks {@code sqlite_master} directly: exact, and SQLite names are case-insensitive. */
    @Override
    public boolean tableExists(Connection connection, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // ---------------------------------------------------------------- migration behaviour

    /** SQLite DDL is transactional: a revision that fails rolls back completely. */
    @Override
    public boolean supportsTransactionalDdl() {
        return true;
    }

    /**
     * SQLite has no lock separate from its transactions: {@code BEGIN IMMEDIATE} in
     * {@link #beginRevision} is the migration lock. What this method does is make that begin wait up to
     * {@code timeout} for another migrator, by setting the connection's busy timeout for the run; the
     * returned lock puts the previous busy timeout back.
     *
     * <p>The same wait then also bounds a revision's {@code COMMIT} waiting for readers to finish (in
     * rollback-journal mode; in WAL mode a commit never waits for readers), so there is no separate
     * DDL lock timeout on SQLite.
     */
    @Override
    public MigrationLock acquireMigrationLock(Connection connection, DataSource dataSource, Duration timeout) throws SQLException {
        SQLiteConnection sqlite = sqlite(connection);
        int previous = sqlite.getBusyTimeout();
        sqlite.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
        return () -> {
            if (!sqlite.isClosed()) {
                sqlite.setBusyTimeout(previous);
            }
        };
    }

    /**
     * {@code BEGIN IMMEDIATE}: takes the database's write lock before the version is read, so two
     * migrators never both decide to apply the same revision.
     *
     * <p>A plain {@code BEGIN IMMEDIATE} statement does not work with sqlite-jdbc in auto-commit mode:
     * the driver still reports auto-commit, refuses {@code commit()}, and the transaction has to be ended
     * by another statement. So the connection's transaction mode is set to {@code IMMEDIATE} just for the
     * {@code setAutoCommit(false)} that begins the transaction (sqlite-jdbc begins eagerly there), and
     * put back at once.
     *
     * @throws MigrationLockTimeoutException when another writer kept the lock for longer than the busy timeout
     */
    @Override
    public void beginRevision(Connection connection) throws SQLException {
        SQLiteConnection sqlite = sqlite(connection);
        TransactionMode mode = sqlite.getConnectionConfig().getTransactionMode();
        sqlite.getConnectionConfig().setTransactionMode(TransactionMode.IMMEDIATE);
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            // sqlite-jdbc marks the connection non-auto-commit before BEGIN runs; no transaction exists.
            sqlite.getConnectionConfig().setAutoCommit(true);
            if (isLockTimeout(e)) {
                throw new MigrationLockTimeoutException("another migrator or writer held the SQLite database's write lock"
                        + " for longer than the migration lock wait (" + sqlite.getBusyTimeout() + " ms); nothing was changed", e);
            }
            throw e;
        } finally {
            sqlite.getConnectionConfig().setTransactionMode(mode);
        }
    }

    /**
     * Commits and returns to auto-commit. sqlite-jdbc's {@code commit()} begins the next transaction at
     * once; it is made a {@code DEFERRED} one, which takes no lock, whatever the connection's configured
     * mode (an {@code IMMEDIATE} re-begin would grab the write lock again for nothing).
     */
    @Override
    public void commitRevision(Connection connection) throws SQLException {
        SQLiteConnection sqlite = sqlite(connection);
        withDeferredRebegin(sqlite, connection::commit);
        connection.setAutoCommit(true);
    }

    /** Rolls back and returns to auto-commit; the re-begin is {@code DEFERRED}, as in {@link #commitRevision}. */
    @Override
    public void rollbackRevision(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            SQLiteConnection sqlite = sqlite(connection);
            withDeferredRebegin(sqlite, connection::rollback);
            connection.setAutoCommit(true);
        }
    }

    /** {@code SQLITE_BUSY} or {@code SQLITE_LOCKED} (any extended code): a lock wait ran out. */
    @Override
    public boolean isLockTimeout(SQLException e) {
        int primary = primaryCode(e);
        return primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code;
    }

    /**
     * {@code SQLITE_CONSTRAINT_UNIQUE} or {@code SQLITE_CONSTRAINT_PRIMARYKEY}. sqlite-jdbc leaves the
     * SQLState {@code null}, so the SPI's default (SQLState class 23) never matches.
     */
    @Override
    public boolean isUniqueViolation(SQLException e) {
        SQLiteErrorCode code = resultCode(e);
        if (code != null) {
            return code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY;
        }
        // Not a sqlite-jdbc exception (a pool may wrap it): fall back to the primary code and the text.
        return primaryCode(e) == SQLiteErrorCode.SQLITE_CONSTRAINT.code && e.getMessage() != null
                && e.getMessage().contains("UNIQUE constraint failed");
    }

    // ---------------------------------------------------------------- page query

    /**
     * sqlite-jdbc parses and plans on every {@code prepareStatement} and caches nothing: preparing was
     * about a third of a page-1 call (bench {@code prepare_cost}). Reusing the page statements per
     * connection brings {@code findByHost} from 1.81x to 1.04x hand-written JDBC (docs/benchmarks.md).
     */
    @Override
    public boolean reusePreparedStatements() {
        return true;
    }

    /** {@code id ASC}: the composite index ends with the rowid ascending, so this order costs no sort. */
    @Override
    public TieBreak tieBreak(ServerInfo server) {
        return TieBreak.ID_ASC;
    }

    /** Binds the canonical six-digit text, so the comparison with stored text is a text comparison that orders by time. */
    @Override
    public void bindCreatedAt(PreparedStatement statement, int index, Instant value) throws SQLException {
        statement.setString(index, SqliteTimestampConverter.format(value));
    }

    /** Reads the stored text, normalising shorter forms; unreadable text is an error naming the row id. */
    @Override
    public Instant readCreatedAt(ResultSet rs, int column, long rowId) throws SQLException {
        return SqliteTimestampConverter.parse(rs.getString(column), rowId);
    }

    /**
     * sqlite-jdbc 3.54 answers {@code getGeneratedKeys()} with {@code SELECT last_insert_rowid()} on the
     * same connection, which is the new {@code id} (the rowid). It can be switched off in its config;
     * then the store could not learn the id, so that is refused with a message naming the setting.
     */
    @Override
    public PreparedStatement prepareInsert(Connection connection, String sql) throws SQLException {
        if (!sqlite(connection).getConnectionConfig().isGetGeneratedKeys()) {
            throw new HostEventsException("this SQLite connection has generated keys switched off"
                    + " (SQLiteConfig.setGetGeneratedKeys(false)); the event store needs them to return the new event's id");
        }
        return connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
    }

    /**
     * {@code EXPLAIN QUERY PLAN} of the query, bound as the store binds it. The plan reads the index when
     * a row says {@code USING INDEX <name>} or {@code USING COVERING INDEX <name>}; it sorts when any row
     * mentions {@code TEMP B-TREE} (the wording after it differs between SQLite versions).
     *
     * <p>{@code EXPLAIN QUERY PLAN} plans against the connection's cached schema without reading the
     * file, so on a long-lived (pooled) connection it can name an index another connection has dropped.
     * A read of {@code sqlite_master} first makes SQLite check the schema cookie and reload.
     */
    @Override
    public PlanReport explain(Connection connection, String sql, StatementBinder binder, String indexName) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM sqlite_master LIMIT 1")) {
            rs.next();
        }
        List<String> lines = new ArrayList<>();
        Map<Integer, Integer> depth = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int id = rs.getInt(1);
                    int level = depth.getOrDefault(rs.getInt(2), -1) + 1;
                    depth.put(id, level);
                    lines.add("  ".repeat(level) + rs.getString(4));
                }
            }
        }
        String plan = String.join("\n", lines);
        Pattern usesIndexPattern = Pattern.compile("USING (COVERING )?INDEX " + Pattern.quote(indexName) + "(\\s|$)",
                Pattern.CASE_INSENSITIVE);
        boolean usesIndex = lines.stream().anyMatch(l -> usesIndexPattern.matcher(l).find());
        String sortLine = lines.stream().filter(l -> l.contains("TEMP B-TREE")).map(String::strip).findFirst().orElse(null);
        String detail = !usesIndex ? "plan: " + plan.replace('\n', ';') : sortLine;
        return PlanReport.of(plan, indexName, usesIndex, sortLine != null, detail);
    }

    // ---------------------------------------------------------------- sqlite-jdbc plumbing

    /** The sqlite-jdbc connection behind {@code connection} (which may be a pool's proxy). */
    static SQLiteConnection sqlite(Connection connection) throws SQLException {
        if (connection instanceof SQLiteConnection direct) {
            return direct;
        }
        if (connection.isWrapperFor(SQLiteConnection.class)) {
            return connection.unwrap(SQLiteConnection.class);
        }
        throw new UnsupportedDatabaseException("the SQLite dialect needs a sqlite-jdbc connection (org.xerial:sqlite-jdbc);"
                + " got " + connection.getClass().getName());
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }

    private static void withDeferredRebegin(SQLiteConnection sqlite, SqlAction action) throws SQLException {
        TransactionMode mode = sqlite.getConnectionConfig().getTransactionMode();
        sqlite.getConnectionConfig().setTransactionMode(TransactionMode.DEFERRED);
        try {
            action.run();
        } finally {
            sqlite.getConnectionConfig().setTransactionMode(mode);
        }
    }

    /** The extended result code of the first sqlite-jdbc exception in the cause chain, or {@code null}. */
    private static SQLiteErrorCode resultCode(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException s) {
                return s.getResultCode();
            }
        }
        return null;
    }

    /** The primary result code (low byte): from sqlite-jdbc's result code, else from the vendor error code. */
    private static int primaryCode(SQLException e) {
        SQLiteErrorCode code = resultCode(e);
        return (code != null ? code.code : e.getErrorCode()) & 0xff;
    }
}
