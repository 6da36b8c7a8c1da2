package dev.hostevents.dialect.mysql;

import dev.hostevents.testing.DialectContract;
import java.util.List;
import dev.hostevents.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The shared contract on a server that silently drops {@code DESC} (MariaDB 10.2, or MySQL 5.7 / MariaDB
 * before 10.8 by URL): the composite index is ascending by design and read backwards.
 */
class MariaDbOldContractTest extends DialectContract {
    /** Fresh statistics make the plan checks independent of InnoDB's background sampling. */
    @Override
    protected void refreshStatistics(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE TABLE events");
        }
    }

    @Override
    protected TestDatabase database() {
        return MariaDbServer.OLD;
    }

    @Override
    protected boolean serverKeepsDescendingIndexes() {
        return false;
    }

    /** The same trigger as on the new generation. */
    @Override
    protected List<String> rejectInsertsQuoting(String hostCode) {
        return MariaDbNewContractTest.triggerRejecting(hostCode);
    }
}
