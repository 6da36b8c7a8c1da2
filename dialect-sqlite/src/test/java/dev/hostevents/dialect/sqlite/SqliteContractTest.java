package dev.hostevents.dialect.sqlite;

import dev.hostevents.testing.DialectContract;
import java.util.List;
import dev.hostevents.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The shared contract on SQLite: a new file per test, configured by {@link SqliteDataSources}. */
class SqliteContractTest extends DialectContract {
    @TempDir
    Path directory;

    @Override
    protected TestDatabase database() {
        return new SqliteTestFiles(directory);
    }

    /** {@code RAISE(ABORT, …)} from a trigger: the driver's message is the trigger's text. */
    @Override
    protected List<String> rejectInsertsQuoting(String hostCode) {
        return List.of("CREATE TRIGGER reject_quoted BEFORE INSERT ON events WHEN NEW.host_code = '" + hostCode + "'"
                + " BEGIN SELECT RAISE(ABORT, 'blocked " + hostCode + "'); END");
    }
}
