package dev.hostevents.dialect.postgres;

import dev.hostevents.testing.DialectContract;
import java.util.List;
import dev.hostevents.testing.TestDatabase;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared contract suite on a real PostgreSQL server, a database per test. */
class PostgresContractTest extends DialectContract {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.instance();

    @Override
    protected TestDatabase database() {
        return POSTGRES;
    }

    /** The planner needs statistics to know the table is not tiny; autovacuum would come too late. */
    @Override
    protected void refreshStatistics(DataSource dataSource) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("ANALYZE events");
        }
    }

    /** pgjdbc puts the server's DETAIL in the message: {@code Failing row contains (…, host_…, …)}. */
    @Override
    protected List<String> rejectInsertsQuoting(String hostCode) {
        return List.of("ALTER TABLE events ADD CONSTRAINT reject_quoted CHECK (host_code <> '" + hostCode + "')");
    }
}
