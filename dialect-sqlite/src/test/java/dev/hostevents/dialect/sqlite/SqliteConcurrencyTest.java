package dev.hostevents.dialect.sqlite;

import static dev.hostevents.dialect.sqlite.Pragmas.rows;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Issue 15: the data source the README leads with survives concurrent writers, and the one it used to
 * suggest (a plain {@code SQLiteDataSource}, {@code busy_timeout = 0}) is named, once, at WARN.
 */
class SqliteConcurrencyTest {
    @TempDir
    Path directory;
    SqliteTestFiles files;
    ListAppender<ILoggingEvent> captured;
    Logger hostevents;

    @BeforeEach
    void capture() {
        files = new SqliteTestFiles(directory);
        hostevents = (Logger) LoggerFactory.getLogger("dev.hostevents");
        captured = new ListAppender<>();
        captured.start();
        hostevents.addAppender(captured);
    }

    @AfterEach
    void release() {
        hostevents.detachAppender(captured);
    }

    /** sqlite-jdbc's defaults: a 3 s busy timeout, but DEFERRED transactions, which no busy timeout saves. */
    @Test
    void aPlainSqliteDataSource_isNamedOnceAtWarn_withWhatToUseInstead() {
        SQLiteDataSource plain = new SQLiteDataSource();
        plain.setUrl("jdbc:sqlite:" + files.newFile());

        useAsTheReadmeUsedToSay(plain);

        assertThat(busyWarnings()).singleElement().satisfies(e -> {
            assertThat(e.getLoggerName()).startsWith("dev.hostevents.");
            assertThat(e.getFormattedMessage()).contains("SqliteDataSources.file(path)", "busy_timeout = 3000 ms", "DEFERRED");
        });
    }

    @Test
    void aConnectionWithBusyTimeoutZero_isNamedOnceAtWarn() {
        SQLiteConfig config = SqliteDataSources.recommendedConfig();
        config.setBusyTimeout(0);
        DataSource ds = SqliteDataSources.file(files.newFile(), config);
        assertThat(rows(ds, "PRAGMA busy_timeout")).containsExactly("0");

        useAsTheReadmeUsedToSay(ds);

        assertThat(busyWarnings()).singleElement().satisfies(e ->
                assertThat(e.getFormattedMessage()).contains("SqliteDataSources.file(path)", "busy_timeout = 0 ms"));
    }

    private static void useAsTheReadmeUsedToSay(DataSource ds) {
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("head");
        migrator.current();
        EventStore store = EventStore.create(ds);
        EventStore.create(ds);
        store.create(NewEvent.titled("one"));
    }

    private List<ILoggingEvent> busyWarnings() {
        return captured.list.stream()
                .filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("busy_timeout"))
                .toList();
    }

    @Test
    void theRecommendedDataSource_logsNoWarning() {
        DataSource ds = SqliteDataSources.file(files.newFile());
        Migrator.create(ds).upgrade("head");
        EventStore.create(ds).create(NewEvent.titled("one"));
        assertThat(captured.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
    }

    @Test
    void fourThreads_x25_createAll20_throughSqliteDataSourcesFile_allSucceed() throws Exception {
        DataSource ds = SqliteDataSources.file(files.newFile());
        Migrator.create(ds).upgrade("head");
        EventStore store = EventStore.create(ds);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                threads.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int call = 0; call < 25; call++) {
                        List<NewEvent> events = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            events.add(NewEvent.titled("thread " + thread + " call " + call + " #" + i));
                        }
                        store.createAll(events);
                        ok++;
                    }
                    return ok;
                }));
            }
            start.countDown();
            int ok = 0;
            for (Future<Integer> thread : threads) {
                ok += thread.get(120, TimeUnit.SECONDS);
            }
            assertThat(ok).isEqualTo(100);
            assertThat(rows(ds, "SELECT count(*) FROM events")).containsExactly("2000");
        } finally {
            pool.shutdownNow();
        }
    }
}
