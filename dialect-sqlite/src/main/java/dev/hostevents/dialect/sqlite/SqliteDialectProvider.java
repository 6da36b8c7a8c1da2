package dev.hostevents.dialect.sqlite;

import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.DialectProvider;
import dev.hostevents.spi.ServerInfo;
import java.sql.Connection;
import java.sql.SQLException;
import org.jooq.SQLDialect;

/**
 * SQLite through sqlite-jdbc ({@code org.xerial:sqlite-jdbc}). The database the original Python app
 * runs on, so everything here matches what SQLAlchemy and Alembic made. What differs from the SPI's
 * defaults, by role:
 * <ul>
 *   <li><b>Table</b> ({@link SqliteSchema}). Laid out as SQLAlchemy creates it:
 *       {@code id INTEGER NOT NULL … PRIMARY KEY (id)}, so {@code id} is the rowid (no
 *       {@code AUTOINCREMENT}, no {@code sqlite_autoindex}), then {@code VARCHAR(n)}, {@code TEXT},
 *       {@code DATETIME} and {@code BOOLEAN} columns in the contract order.
 *       {@code PRAGMA index_list('events')} after {@code upgrade head} prints exactly the reference's
 *       five rows.</li>
 *   <li><b>Timestamps</b> ({@link SqliteQueries}). {@code created_at} is TEXT
 *       {@code YYYY-MM-DD HH:MM:SS.ffffff} in UTC, always six fraction digits
 *       ({@link SqliteTimestampConverter}); shorter forms are read and normalised.</li>
 *   <li><b>Page order</b> ({@link SqliteQueries}). {@code created_at DESC, id ASC}: the index
 *       {@code (host_code, created_at DESC)} ends with the rowid ascending, so it gives this order with
 *       no sort; {@code id DESC} would add a {@code TEMP B-TREE}. The keyset predicate is the SPI's
 *       default expanded form {@code created_at <= ? AND (created_at < ? OR id > ?)}, which SQLite
 *       answers as
 *       {@code SEARCH events USING INDEX idx_host_event_created (host_code=? AND created_at<?)}; the
 *       other form, {@code created_at < ? OR (created_at = ? AND id > ?)}, gets only
 *       {@code (host_code=?)} from SQLite 3.40 and 3.54 once the table has rows, so a deep page would
 *       walk every newer row of the host.</li>
 *   <li><b>Migrations</b> ({@link SqliteMigration}). DDL is transactional: each revision runs inside
 *       {@code BEGIN IMMEDIATE}, which is also the lock between two migrators. The second one waits in
 *       SQLite's busy handler (the migration lock wait, for the length of the run) and then finds
 *       nothing to do.</li>
 *   <li><b>Index directions</b> ({@link SqliteSchema}) come from {@code PRAGMA index_list} and
 *       {@code PRAGMA index_xinfo}; {@code DatabaseMetaData.getIndexInfo} loses {@code DESC} with
 *       sqlite-jdbc.</li>
 * </ul>
 *
 * <p>Connections should come from {@link SqliteDataSources}, which turns on foreign keys, a busy
 * timeout and {@code IMMEDIATE} write transactions. Binding on a connection with
 * {@code busy_timeout = 0} or {@code DEFERRED} transactions (a plain {@code SQLiteDataSource}) logs
 * one WARN per database file, at
 * logger {@code dev.hostevents.dialect.sqlite.SqliteDialectProvider}, naming
 * {@code SqliteDataSources.file(path)}.
 */
public final class SqliteDialectProvider implements DialectProvider {
    /** The SQLite version offline SQL is rendered for when none is named: the one sqlite-jdbc 3.54 bundles. */
    static final String DEFAULT_VERSION = "3.54";

    /** Creates the provider; {@link java.util.ServiceLoader} does this, users need not. */
    public SqliteDialectProvider() {
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public boolean handles(ServerInfo server) {
        return server.productKey().equals("sqlite");
    }

    /** SQLite renders the same SQL on every 3.x version that matters here; the version is only reported. */
    @Override
    public ServerInfo offlineServer(String alias, String version) {
        return ServerInfo.of("SQLite", version == null || version.isBlank() ? DEFAULT_VERSION : version.trim());
    }

    /** Every SQLite 3.x behaves the same here: nothing depends on the version. */
    @Override
    public Dialect bind(ServerInfo server) {
        return Dialect.of("sqlite", server, SQLDialect.SQLITE, new SqliteSchema(), new SqliteMigration(), new SqliteQueries());
    }

    /** Binds as {@link #bind(ServerInfo)} does, and warns once per file when the connection has no busy timeout or DEFERRED transactions. */
    @Override
    public Dialect bind(Connection connection) throws SQLException {
        SqliteBusyTimeoutCheck.check(connection);
        return bind(describe(connection));
    }
}
