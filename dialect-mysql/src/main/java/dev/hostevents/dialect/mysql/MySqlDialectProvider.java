package dev.hostevents.dialect.mysql;

import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.DialectProvider;
import dev.hostevents.spi.ServerInfo;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.jooq.SQLDialect;

/**
 * MySQL and MariaDB, old and new, through either driver ({@code org.mariadb.jdbc:mariadb-java-client} or
 * {@code com.mysql:mysql-connector-j}). Name {@code mysql}, alias {@code mariadb}.
 *
 * <p>Two generations, told apart by the server version ({@link #keepsDescendingIndexes}), once, in
 * {@link #bind(ServerInfo)}:
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
 * <p>What differs from the SPI's defaults, by role:
 * <ul>
 *   <li>{@link MySqlSchema}: {@code created_at} is {@code DATETIME(6)} holding UTC wall time (never
 *       converted by the server's time zone); the table is created {@code DEFAULT CHARSET=utf8mb4}
 *       (old servers default to {@code latin1} or three-byte {@code utf8}); the generation's index
 *       directions, build note and upgrade advice; the catalog read from {@code information_schema}.</li>
 *   <li>{@link MySqlMigration}: DDL is not transactional, so the migrator checks
 *       {@code information_schema} before each built-in step and a run that died between the DDL and
 *       the version update is completed, never repeated; the migration lock is {@code GET_LOCK} on the
 *       migration connection, named after the schema; DDL waits at most the migrator's lock timeout for
 *       a metadata lock ({@code lock_wait_timeout}).</li>
 *   <li>{@link MySqlQueries}: the generation's tie-break; keyset pages use the expanded predicate
 *       {@code created_at < ? OR (created_at = ? AND id <op> ?)}, which both servers answer as a
 *       {@code range} on the composite index (they do not for a row value {@code (created_at, id) < (?, ?)});
 *       {@code created_at} bound as the text {@code yyyy-MM-dd HH:mm:ss.ffffff} and read as a
 *       {@link java.time.LocalDateTime}, so no time zone of the server, the session or the JVM is
 *       applied; error codes of duplicate keys; {@code EXPLAIN} (and {@code EXPLAIN FORMAT=JSON}),
 *       host codes masked.</li>
 * </ul>
 */
public final class MySqlDialectProvider implements DialectProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public MySqlDialectProvider() {
    }

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

    /**
     * Decides everything version-dependent once: MariaDB or MySQL, whether the server keeps
     * {@code DESC} index columns ({@link #keepsDescendingIndexes}), the jOOQ dialect
     * ({@link SQLDialect#MARIADB} for MariaDB 10.6+, {@link SQLDialect#MYSQL} otherwise) and the
     * server's short name for notes and advice ("MariaDB 10.2"). The roles keep these in final fields;
     * none of them looks at the version again.
     */
    @Override
    public Dialect bind(ServerInfo server) {
        boolean mariaDb = isMariaDb(server);
        boolean keepsDesc = keepsDescendingIndexes(mariaDb, server);
        SQLDialect sqlDialect = sqlDialect(mariaDb, server);
        String shortName = (mariaDb ? "MariaDB " : "MySQL ") + server.major() + "." + server.minor();
        return Dialect.of(name(), server, sqlDialect, new MySqlSchema(keepsDesc, shortName, sqlDialect),
                new MySqlMigration(), new MySqlQueries(keepsDesc));
    }

    /**
     * True when the server builds {@code DESC} index columns descending: MySQL 8.0+, MariaDB 10.8+.
     * Older servers parse {@code DESC} and build the column ascending. {@link #bind} asks this once; a
     * bound dialect answers the same through {@code schema().expectedIndex(..)} and
     * {@code queries().tieBreak()}.
     */
    public static boolean keepsDescendingIndexes(ServerInfo server) {
        return keepsDescendingIndexes(isMariaDb(server), server);
    }

    private static boolean keepsDescendingIndexes(boolean mariaDb, ServerInfo server) {
        return mariaDb ? server.isAtLeast(10, 8) : server.isAtLeast(8, 0);
    }

    /** True for MariaDB, false for MySQL. */
    static boolean isMariaDb(ServerInfo server) {
        return server.productKey().contains("mariadb") || server.version().toLowerCase(Locale.ROOT).contains("mariadb");
    }

    /**
     * {@link SQLDialect#MARIADB} for MariaDB 10.6+, {@link SQLDialect#MYSQL} otherwise: jOOQ's MariaDB
     * dialect renders {@code OFFSET ? ROWS FETCH NEXT ? ROWS ONLY}, which MariaDB parses only from
     * 10.6; older MariaDB gets MySQL's {@code LIMIT ? OFFSET ?}, which it has always understood.
     */
    private static SQLDialect sqlDialect(boolean mariaDb, ServerInfo server) {
        return mariaDb && server.isAtLeast(10, 6) ? SQLDialect.MARIADB : SQLDialect.MYSQL;
    }
}
