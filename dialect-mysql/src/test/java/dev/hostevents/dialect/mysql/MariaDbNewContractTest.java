package dev.hostevents.dialect.mysql;

import dev.hostevents.testing.DialectContract;
import java.util.List;
import dev.hostevents.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The shared contract on a server that keeps {@code DESC} in indexes (MariaDB 11.4, or MySQL 8 / MariaDB 10.8+ by URL). */
class MariaDbNewContractTest extends DialectContract {
    /** Fresh statistics make the plan checks independent of InnoDB's background sampling. */
    @Override
    protected void refreshStatistics(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE TABLE events");
        }
    }

    @Override
    protected TestDatabase database() {
        return MariaDbServer.NEW;
    }

    /** A trigger that raises with the row's value in the text, as an application's audit trigger might. */
    @Override
    protected List<String> rejectInsertsQuoting(String hostCode) {
        return triggerRejecting(hostCode);
    }

    /** The trigger, shared with {@link MariaDbOldContractTest}: both generations take the same syntax. */
    static List<String> triggerRejecting(String hostCode) {
        return List.of("CREATE TRIGGER reject_quoted BEFORE INSERT ON events FOR EACH ROW BEGIN"
                + " DECLARE msg VARCHAR(128); IF NEW.host_code = '" + hostCode + "' THEN"
                + " SET msg = CONCAT('blocked ', NEW.host_code); SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = msg;"
                + " END IF; END");
    }
}
