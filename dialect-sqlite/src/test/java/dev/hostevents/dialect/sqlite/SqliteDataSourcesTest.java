package dev.hostevents.dialect.sqlite;

import static dev.hostevents.dialect.sqlite.Pragmas.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.ValidationException;
import dev.hostevents.migration.Migrator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** What the recommended data source does to each connection, and what it leaves alone. */
class SqliteDataSourcesTest {
    @TempDir
    Path directory;
    SqliteTestFiles files;

    @BeforeEach
    void files() {
        files = new SqliteTestFiles(directory);
    }

    @Test
    void everyConnection_hasForeignKeysOn_aFiveSecondBusyTimeout_andImmediateTransactions() {
        DataSource ds = SqliteDataSources.file(files.newFile());
        assertThat(rows(ds, "PRAGMA foreign_keys")).containsExactly("1");
        assertThat(rows(ds, "PRAGMA busy_timeout")).containsExactly("5000");
        assertThat(SqliteDataSources.recommendedConfig().getTransactionMode()).isEqualTo(SQLiteConfig.TransactionMode.IMMEDIATE);
    }

    @Test
    void foreignKeys_areEnforced() {
        DataSource ds = SqliteDataSources.file(files.newFile());
        Pragmas.execute(ds, "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
                "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))");
        IllegalStateException e = catchThrowableOfType(IllegalStateException.class,
                () -> Pragmas.execute(ds, "INSERT INTO child VALUES (42)"));
        assertThat(e).hasRootCauseMessage("[SQLITE_CONSTRAINT_FOREIGNKEY] A foreign key constraint failed (FOREIGN KEY constraint failed)");
    }

    @Test
    void aNewFile_isPutInWal() {
        DataSource ds = SqliteDataSources.file(files.newFile());
        Migrator.create(ds).upgrade("head");
        assertThat(rows(ds, "PRAGMA journal_mode")).containsExactly("wal");
        assertThat(rows(SqliteDataSources.file(files.newFile()), "PRAGMA journal_mode")).containsExactly("wal");
    }

    @Test
    void theJournalModeOfAnExistingFile_isLeftAsItIs() {
        // A file made by other means (the Python app) in the default rollback journal stays so.
        Path file = files.newFile();
        Pragmas.execute(plain(file), "CREATE TABLE made_elsewhere (id INTEGER PRIMARY KEY)");
        DataSource ds = SqliteDataSources.file(file);
        assertThat(rows(ds, "PRAGMA journal_mode")).containsExactly("delete");
        Migrator.create(ds).upgrade("head");
        assertThat(rows(ds, "PRAGMA journal_mode")).containsExactly("delete");
    }

    private static SQLiteDataSource plain(Path file) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        return ds;
    }

    @Test
    void walIsOneSettingAway_andTheLibraryWorksOnIt() {
        SQLiteConfig config = SqliteDataSources.recommendedConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        DataSource ds = SqliteDataSources.file(files.newFile(), config);

        assertThat(rows(ds, "PRAGMA journal_mode")).containsExactly("wal");
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("head");
        EventStore store = EventStore.create(ds);
        Event e = store.create(NewEvent.titled("On WAL").withHostCode("host_aaaaaaaa0001"));
        assertThat(store.findByHost("host_aaaaaaaa0001", 10, 0)).containsExactly(e);
        assertThat(migrator.verify().drift()).isEmpty();
    }

    @Test
    void twoWritersBatchingAtOnce_bothSucceed_becauseTransactionsBeginImmediate() throws Exception {
        Path file = files.newFile();
        DataSource ds = SqliteDataSources.file(file);
        Migrator.create(ds).upgrade("head");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    EventStore store = EventStore.create(SqliteDataSources.file(file)); // a data source of its own
                    start.await();
                    int stored = 0;
                    for (int batch = 0; batch < 20; batch++) {
                        List<NewEvent> events = new ArrayList<>();
                        for (int i = 0; i < 5; i++) {
                            events.add(NewEvent.titled("writer " + writer + " batch " + batch + " #" + i));
                        }
                        stored += store.createAll(events).size();
                    }
                    return stored;
                }));
            }
            start.countDown();
            for (Future<Integer> writer : writers) {
                assertThat(writer.get(60, TimeUnit.SECONDS)).isEqualTo(100);
            }
            assertThat(rows(ds, "SELECT count(*) FROM events")).containsExactly("200");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPathWithAQuestionMark_isRefused_namingTheParameter() {
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> SqliteDataSources.file(directory.resolve("odd?name.db")));
        assertThat(e.field()).isEqualTo("file");
    }
}
