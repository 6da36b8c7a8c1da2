package dev.hostevents.bench;

import dev.hostevents.dialect.postgres.PostgresExtension;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Embedded PostgreSQL, started by dialect-postgres's own test support ({@link PostgresExtension}, from
 * its test-jar) so the bench runs the server exactly as that module's tests do; each database is
 * {@code CREATE DATABASE} on it.
 */
public final class PostgresBenchDatabase implements BenchDatabase {
    private final PostgresExtension.Server server = PostgresExtension.instance().server();

    @Override
    public String key() {
        return "postgres";
    }

    @Override
    public DataSource newDatabase(String name) throws SQLException {
        DataSource ds = server.createDatabase(null);
        // One multi-row INSERT per batch instead of one round trip per row: the load is 1,000,000 rows.
        ds.unwrap(PGSimpleDataSource.class).setReWriteBatchedInserts(true);
        return ds;
    }

    @Override
    public void refreshStatistics(Connection connection) throws SQLException {
        try (java.sql.Statement s = connection.createStatement()) {
            s.execute("ANALYZE events");
        }
    }

    @Override
    public Instant readCreatedAt(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    @Override
    public OptionalLong indexBytes(Connection connection, String index) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_relation_size(?::regclass)")) {
            ps.setString(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // The JVM is about to exit; the server process dies with it.
        }
    }
}
