package dev.hostevents.dialect.postgres;

import static dev.hostevents.dialect.postgres.Pg.execute;
import static dev.hostevents.dialect.postgres.Pg.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.HostEventsException;
import dev.hostevents.NewEvent;
import dev.hostevents.migration.LogEntry;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.Transition;
import dev.hostevents.spi.Dialects;
import dev.hostevents.spi.LiveIndex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code CREATE INDEX CONCURRENTLY} on a table big enough that the build takes a noticeable time
 * (300,000 rows): killed mid-build and repaired, and built while a writer keeps inserting. Each test
 * copies a template database loaded once at revision {@code 9372cec8298d}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresConcurrentBuildTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.instance();

    private static final int ROWS = 300_000;
    private static final String INITIAL = "9372cec8298d";
    private static final String COMPOSITE = "c1b85c454f94";
    private static final String CIC = "CREATE INDEX CONCURRENTLY idx_host_event_created ON events(host_code, created_at DESC)";

    private String template;

    @BeforeAll
    void loadTemplate() {
        PostgresExtension.Server server = POSTGRES.server();
        template = server.newName();
        server.execute("CREATE DATABASE " + template);
        server.created(template);
        DataSource ds = server.dataSource(template);
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("+1");
        // Loading first and indexing after is several times faster than 300,000 index insertions.
        List<String> indexes = Pg.queryStrings(ds, "SELECT indexdef FROM pg_indexes WHERE tablename = 'events'"
                + " AND indexname LIKE 'ix_events_%'");
        execute(ds, "DROP INDEX ix_events_id, ix_events_host_code, ix_events_short_code, ix_events_slug");
        execute(ds, "INSERT INTO events (title, slug, short_code, host_code, created_at)"
                + " SELECT 'event ' || g, 'seed-' || g, 'S' || g, 'host_' || lpad((g % 1000)::text, 12, '0'),"
                + " timestamp '2025-01-01' + g * interval '1 second' FROM generate_series(1, " + ROWS + ") g");
        for (String index : indexes) {
            execute(ds, index);
        }
        execute(ds, "VACUUM ANALYZE events");
        assertThat(migrator.verify().drift()).isEmpty();
    }

    private static LiveIndex composite(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return Dialects.forConnection(c).schema().readIndexes(c, "events").stream()
                    .filter(i -> i.name().equals("idx_host_event_created")).findFirst().orElse(null);
        }
    }

    @Test
    void aConcurrentBuildKilledMidBuild_leavesAnInvalidIndex_thatVerifyReports_andUpgradeRebuildsOnce() throws Exception {
        DataSource ds = POSTGRES.newDatabaseFrom(template);
        Migrator migrator = Migrator.create(ds);
        CompletableFuture<MigrationResult> run = CompletableFuture.supplyAsync(() -> migrator.upgrade("head"));

        String killedIn;
        try (Connection monitor = ds.getConnection(); Statement s = monitor.createStatement()) {
            killedIn = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (killedIn == null && System.nanoTime() < deadline && !run.isDone()) {
                try (ResultSet rs = s.executeQuery("SELECT p.pid, p.phase FROM pg_stat_progress_create_index p"
                        + " WHERE p.datname = current_database() AND p.command = 'CREATE INDEX CONCURRENTLY'"
                        + " AND p.phase LIKE 'building index%'")) {
                    if (rs.next()) {
                        killedIn = rs.getString(2);
                        try (Statement kill = monitor.createStatement()) {
                            kill.execute("SELECT pg_terminate_backend(" + rs.getInt(1) + ")");
                        }
                    }
                }
            }
        }
        System.out.println("terminated the concurrent build in phase: " + killedIn);
        assertThat(killedIn).as("caught the build in a 'building index' phase").isNotNull();
        ExecutionException failed = org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class,
                () -> run.get(60, TimeUnit.SECONDS));
        assertThat(failed.getCause()).isInstanceOf(HostEventsException.class);
        System.out.println("the killed upgrade failed with: " + failed.getCause().getMessage());

        assertThat(composite(ds).valid()).isFalse();
        assertThat(migrator.current()).contains(INITIAL);
        assertThat(migrator.verify().drift()).singleElement().asString()
                .contains("idx_host_event_created").contains("INVALID");

        MigrationResult repaired = migrator.upgrade("head");

        assertThat(repaired.transitions()).extracting(Transition::to).containsExactly(COMPOSITE);
        assertThat(composite(ds).valid()).isTrue();
        assertThat(migrator.verify().drift()).isEmpty();
        List<LogEntry> log = migrator.log();
        assertThat(log).extracting(LogEntry::revision).containsExactly(INITIAL, COMPOSITE);
        // The revision's own statement; the DROP INDEX CONCURRENTLY of the leftover is a repair, not part of it.
        assertThat(log.get(1).checksum()).isEqualTo(sha256(CIC));
        assertThat(queryLong(ds, "SELECT count(*) FROM pg_class WHERE relname LIKE 'idx_host_event_created%'")).isEqualTo(1);
    }

    @Test
    void writersKeepInserting_whileTheIndexIsBuiltConcurrently_andEveryInsertSucceeds() throws Exception {
        DataSource ds = POSTGRES.newDatabaseFrom(template);
        String writerHost = "host_writer000001";
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> inserts = Collections.synchronizedList(new ArrayList<>()); // {start, end} nanos
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        Set<String> commands = ConcurrentHashMap.newKeySet();
        Set<String> phases = ConcurrentHashMap.newKeySet();
        long[] buildWindow = {Long.MAX_VALUE, Long.MIN_VALUE};

        CompletableFuture<Void> writer;
        CompletableFuture<Void> observer;
        try (Pg.OneConnection writerConnection = new Pg.OneConnection(ds)) {
            EventStore store = EventStore.create(writerConnection);
            writer = CompletableFuture.runAsync(() -> {
                for (int n = 0; !stop.get(); n++) {
                    long start = System.nanoTime();
                    try {
                        store.create(new NewEvent("written " + n, "written-" + n, null, writerHost));
                        inserts.add(new long[] {start, System.nanoTime()});
                    } catch (RuntimeException e) {
                        errors.add(e);
                        return;
                    }
                }
            });
            observer = CompletableFuture.runAsync(() -> {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    while (!stop.get()) {
                        try (ResultSet rs = s.executeQuery("SELECT p.command, p.phase, a.query"
                                + " FROM pg_stat_progress_create_index p JOIN pg_stat_activity a ON a.pid = p.pid"
                                + " WHERE p.datname = current_database()")) {
                            while (rs.next()) {
                                long now = System.nanoTime();
                                commands.add(rs.getString(1) + ": " + rs.getString(3));
                                phases.add(rs.getString(2));
                                synchronized (buildWindow) {
                                    buildWindow[0] = Math.min(buildWindow[0], now);
                                    buildWindow[1] = Math.max(buildWindow[1], now);
                                }
                            }
                        }
                        Thread.sleep(2);
                    }
                } catch (SQLException | InterruptedException e) {
                    errors.add(e);
                }
            });
            while (inserts.size() < 20 && errors.isEmpty()) {
                Thread.sleep(5);
            }

            long upgradeStart = System.nanoTime();
            MigrationResult result = Migrator.create(ds).upgrade("head");
            long upgradeEnd = System.nanoTime();
            Thread.sleep(100);
            stop.set(true);
            writer.get(30, TimeUnit.SECONDS);
            observer.get(30, TimeUnit.SECONDS);

            assertThat(errors).isEmpty();
            assertThat(result.transitions()).extracting(Transition::to).containsExactly(COMPOSITE);
            assertThat(commands).containsExactly("CREATE INDEX CONCURRENTLY: " + CIC);

            List<long[]> during = inserts.stream().filter(i -> i[0] >= buildWindow[0] && i[1] <= buildWindow[1]).toList();
            List<long[]> duringUpgrade = inserts.stream().filter(i -> i[0] >= upgradeStart && i[1] <= upgradeEnd).toList();
            System.out.printf("concurrent build on %,d rows: seen for %.0f ms (upgrade %.0f ms), phases %s%n", ROWS,
                    (buildWindow[1] - buildWindow[0]) / 1e6, (upgradeEnd - upgradeStart) / 1e6, phases);
            System.out.printf("inserts during the build: %d (during the whole upgrade: %d), all %d succeeded;"
                            + " worst latency during the build %.1f ms, median %.2f ms; worst outside the upgrade %.1f ms%n",
                    during.size(), duringUpgrade.size(), inserts.size(), maxMillis(during), medianMillis(during),
                    maxMillis(inserts.stream().filter(i -> i[1] < upgradeStart || i[0] > upgradeEnd).toList()));
            assertThat(during).as("inserts ran while the index was being built").isNotEmpty();

            assertThat(composite(ds).valid()).isTrue();
            assertThat(Migrator.create(ds).verify().drift()).isEmpty();
            assertThat(store.countByHost(writerHost)).isEqualTo(inserts.size());
            List<Event> newest = store.findByHost(writerHost, 5, 0);
            assertThat(newest.get(0).title()).isEqualTo("written " + (inserts.size() - 1));
            assertThat(store.diagnostics().explainFindByHost(writerHost, 10, 0).verdict()).isEqualTo("index idx_host_event_created, no sort");
        }
    }

    private static double maxMillis(List<long[]> spans) {
        return spans.stream().mapToLong(i -> i[1] - i[0]).max().orElse(0) / 1e6;
    }

    private static double medianMillis(List<long[]> spans) {
        long[] sorted = spans.stream().mapToLong(i -> i[1] - i[0]).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
