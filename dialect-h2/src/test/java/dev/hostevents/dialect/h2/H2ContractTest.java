package dev.hostevents.dialect.h2;

import dev.hostevents.testing.DialectContract;
import java.util.List;
import dev.hostevents.testing.TestDatabase;

import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** The shared contract on H2 (in memory, a database per test). */
class H2ContractTest extends DialectContract {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    static final TestDatabase H2 = new TestDatabase() {
        @Override
        public DataSource newDatabase() {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:contract" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
            return ds;
        }

        @Override
        public String describe() {
            return "H2 (memory)";
        }
    };

    @Override
    protected TestDatabase database() {
        return H2;
    }

    /** H2 keeps no statistics until ANALYZE; without them it prefers the single-column index. */
    @Override
    protected void refreshStatistics(DataSource dataSource) throws java.sql.SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("ANALYZE");
        }
    }

    /**
     * H2 does not quote a CHECK's values, but quotes a unique index's: an application's own unique index
     * on {@code host_code} and a row already there (the store must report it, not retry it as a slug).
     */
    @Override
    protected List<String> rejectInsertsQuoting(String hostCode) {
        return List.of("INSERT INTO events (title, slug, description, short_code, host_code, created_at, is_active)"
                        + " VALUES ('first', 'first', NULL, 'QUOTED01', '" + hostCode + "', CURRENT_TIMESTAMP, TRUE)",
                "CREATE UNIQUE INDEX one_event_per_host ON events (host_code)");
    }
}
