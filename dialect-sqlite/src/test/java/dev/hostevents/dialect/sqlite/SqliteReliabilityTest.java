package dev.hostevents.dialect.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.DatabaseAccessException;
import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.migration.Migrator;
import dev.hostevents.testing.ReliabilityContract;
import dev.hostevents.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** The reliability suite on SQLite files, plus SQLite's own concern: many writers, one write lock. */
class SqliteReliabilityTest extends ReliabilityContract {
    @TempDir
    Path directory;

    @Override
    protected TestDatabase database() {
        return new SqliteTestFiles(directory);
    }

    @Test
    void concurrentWriters_busyIsRetriedWithinTheBusyTimeout_orSurfacesAsAClearException_neverLostSilently() throws Exception {
        Path file = directory.resolve("busy.db");
        Migrator.create(SqliteDataSources.file(file)).upgrade("head");
        // A short busy timeout makes SQLITE_BUSY likely, so both outcomes are exercised.
        SQLiteConfig config = SqliteDataSources.recommendedConfig();
        config.setBusyTimeout(50);
        EventStore store = EventStore.create(SqliteDataSources.file(file, config));
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        List<String> unclear = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                int writer = w;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        try {
                            Event e = store.create(NewEvent.titled("w" + writer + " " + i).withHostCode("host_busywriter01"));
                            acknowledged.add(e.id());
                        } catch (DatabaseAccessException e) {
                            refused.incrementAndGet();
                            if (!e.getMessage().toLowerCase().contains("busy") && !e.getMessage().toLowerCase().contains("locked")) {
                                synchronized (unclear) {
                                    unclear.add(e.getMessage());
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(unclear).as("every refused write says the database was busy").isEmpty();
        // Every acknowledged write is there, and nothing else: a refused write left no row behind.
        EventStore reader = EventStore.create(SqliteDataSources.file(file));
        assertThat(reader.countByHost("host_busywriter01")).isEqualTo(acknowledged.size());
        assertThat(acknowledged.size() + refused.get()).isEqualTo(6 * 150);
        System.out.printf("[reliability] SQLite busy: 6 writers x 150 creates, busy_timeout 50 ms: %d stored, %d refused with a clear busy error, 0 lost%n",
                acknowledged.size(), refused.get());
    }
}
