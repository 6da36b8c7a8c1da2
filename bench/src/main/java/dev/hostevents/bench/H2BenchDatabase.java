package dev.hostevents.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * H2 in memory, through core's H2 dialect. Not one of the databases: it runs the harness where
 * no other dialect is on the class path, and lets the report be tried without SQLite.
 */
public final class H2BenchDatabase implements BenchDatabase {
    private final List<JdbcDataSource> made = new ArrayList<>();

    @Override
    public String key() {
        return "h2";
    }

    @Override
    public DataSource newDatabase(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        // DB_CLOSE_DELAY=-1 keeps the memory database alive between connections.
        ds.setURL("jdbc:h2:mem:bench-" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        made.add(ds);
        return ds;
    }

    @Override
    public Instant readCreatedAt(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    @Override
    public void close() {
        for (JdbcDataSource ds : made) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException e) {
                // Already gone: nothing to free.
            }
        }
        made.clear();
    }
}
