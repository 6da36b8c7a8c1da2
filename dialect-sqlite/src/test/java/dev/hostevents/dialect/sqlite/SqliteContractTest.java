package dev.hostevents.dialect.sqlite;

import dev.hostevents.testing.DialectContract;
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
}
