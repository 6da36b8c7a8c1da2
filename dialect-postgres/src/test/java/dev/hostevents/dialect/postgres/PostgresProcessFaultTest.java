package dev.hostevents.dialect.postgres;

import dev.hostevents.testing.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import dev.hostevents.DatabaseAccessException;
import dev.hostevents.EventStore;
import dev.hostevents.HostEventsException;
import dev.hostevents.NewEvent;
import dev.hostevents.migration.LogEntry;
import dev.hostevents.migration.MigrationListener;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.Transition;
import dev.hostevents.spi.LiveIndex;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Faults from outside the migrating JVM on PostgreSQL: a migrator JVM killed with SIGKILL
 * ({@code kill -9}) at each point of a revision and in the middle of {@code CREATE INDEX CONCURRENTLY},
 * several migrator JVMs at once, the migration's own connection terminated, every session of the
 * database terminated under a running store, and a server stopped and started again.
 */
class PostgresProcessFaultTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.instance();

    private static final String INITIAL = "9372cec8298d";
    private static final String COMPOSITE = "c1b85c454f94";
    private static final int ROWS = 3000;
    private static final int HOSTS = 6;
    private static final AtomicInteger CHILDREN = new AtomicInteger();

    private static String host(int i) {
        return String.format("host_%012d", i);
    }

    /** A message on one line, for the [reliability] figures. */
    private static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", " / ");
    }

    private static List<String> allRows(DataSource ds) {
        return Pg.queryStrings(ds, "SELECT id || '|' || slug || '|' || host_code || '|' || created_at FROM events ORDER BY id");
    }

    private static void seed(EventStore store, int rows) {
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            batch.add(NewEvent.titled("seeded " + i).withHostCode(host(i % HOSTS)));
            if (batch.size() == 500) {
                store.createAll(batch);
                batch.clear();
            }
        }
        store.createAll(batch);
    }

    private static LiveIndex composite(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return new PostgresDialect().readIndexes(c, "events").stream()
                    .filter(i -> i.name().equals("idx_host_event_created")).findFirst().orElse(null);
        }
    }

    private static ChildJvm child(PGSimpleDataSource ds, String applicationName, String... args) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("HOSTEVENTS_CHILD_PASSWORD", ds.getPassword() == null ? "" : ds.getPassword());
        if (checksDeadClients(ds)) {
            env.put("HOSTEVENTS_CHILD_OPTIONS", "-c client_connection_check_interval=200");
        }
        List<String> all = new ArrayList<>(List.of(ds.getURL(), ds.getUser(), applicationName));
        all.addAll(List.of(args));
        return ChildJvm.start(PgMigratorChild.class, env, all.toArray(String[]::new));
    }

    /** {@code client_connection_check_interval} exists from PostgreSQL 14 (an external server may be older). */
    private static boolean checksDeadClients(DataSource ds) {
        return Pg.queryLong(ds, "SELECT current_setting('server_version_num')::int") >= 140000;
    }

    private static long backends(DataSource ds, String applicationName) {
        return Pg.queryLong(ds, "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + applicationName + "'");
    }

    /** Waits until no backend of {@code applicationName} is left; returns the milliseconds it took. */
    private static long awaitBackendGone(DataSource ds, String applicationName) throws InterruptedException {
        long t0 = System.nanoTime();
        while (backends(ds, applicationName) > 0) {
            assertThat(System.nanoTime() - t0).as("backend of %s still there", applicationName).isLessThan(TimeUnit.SECONDS.toNanos(30));
            Thread.sleep(20);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void assertAtHeadWithEachRevisionOnce(Migrator migrator, DataSource ds, List<String> before) throws SQLException {
        assertThat(migrator.current()).contains(COMPOSITE);
        assertThat(migrator.verify().drift()).isEmpty();
        assertThat(composite(ds)).isNotNull();
        assertThat(composite(ds).valid()).isTrue();
        assertThat(Pg.queryLong(ds, "SELECT count(*) FROM pg_class WHERE relname LIKE 'idx_host_event_created%'")).isEqualTo(1);
        assertThat(migrator.log()).extracting(LogEntry::direction, LogEntry::revision).as("each revision applied once")
                .containsExactly(tuple("upgrade", INITIAL), tuple("upgrade", COMPOSITE));
        assertThat(allRows(ds)).as("all rows kept").isEqualTo(before);
        // The index gives the same rows as the table: the page query through it, and a scan without it.
        assertThat(Pg.queryLong(ds, "SELECT count(*) FROM (SELECT 1 FROM events WHERE host_code = '" + host(1)
                + "' ORDER BY created_at DESC) x")).isEqualTo(ROWS / HOSTS);
    }

    // ============================================================ kill -9 mid-migration

    @ParameterizedTest(name = "SIGKILL at {0}")
    @ValueSource(strings = {"beforeDdl", "afterDdl", "afterRevision", "midConcurrentBuild"})
    void aMigratorJvmKilledWithSigkill_isRepairedByAFreshUpgrade(String point) throws Exception {
        long t0 = System.nanoTime();
        PGSimpleDataSource ds = (PGSimpleDataSource) POSTGRES.newDatabase();
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("+1");
        seed(EventStore.create(ds), ROWS);
        List<String> before = allRows(ds);
        String app = "hostevents-child-" + CHILDREN.incrementAndGet();

        int exit;
        long goneMs;
        String leftIndex;
        if (point.equals("midConcurrentBuild")) {
            // An open transaction that wrote to events holds CREATE INDEX CONCURRENTLY in its
            // "waiting for writers" phase, after the index entered the catalog (INVALID): the kill lands there.
            try (Connection blocker = ds.getConnection(); Statement s = blocker.createStatement()) {
                blocker.setAutoCommit(false);
                s.execute("LOCK TABLE events IN ROW EXCLUSIVE MODE");
                try (ChildJvm child = child(ds, app, "pause", "none", "-")) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (Pg.queryLong(ds, "SELECT count(*) FROM pg_stat_progress_create_index p JOIN pg_stat_activity a"
                            + " ON a.pid = p.pid WHERE a.application_name = '" + app + "' AND p.phase LIKE 'waiting for writers%'") == 0) {
                        assertThat(System.nanoTime()).as("the child's build never waited for writers; output: %s", child.output())
                                .isLessThan(deadline);
                        assertThat(child.process().isAlive()).as("child alive; output: %s", child.output()).isTrue();
                        Thread.sleep(20);
                    }
                    exit = child.killHard();
                }
                // client_connection_check_interval: the server ends the orphaned backend while it still waits.
                // Before PostgreSQL 14 it would wait on, so end it as an administrator would.
                if (!checksDeadClients(ds)) {
                    Pg.execute(ds, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + app + "'");
                }
                goneMs = awaitBackendGone(ds, app);
                blocker.rollback();
            }
            LiveIndex left = composite(ds);
            assertThat(left).as("the interrupted concurrent build left its index").isNotNull();
            assertThat(left.valid()).as("left INVALID").isFalse();
            assertThat(migrator.verify().drift()).singleElement().asString().contains("INVALID");
            leftIndex = "INVALID";
        } else {
            try (ChildJvm child = child(ds, app, "pause", point, COMPOSITE)) {
                child.await("PAUSED " + point + " " + COMPOSITE, 60);
                exit = child.killHard();
            }
            goneMs = awaitBackendGone(ds, app);
            LiveIndex left = composite(ds);
            leftIndex = left == null ? "none" : left.valid() ? "valid" : "INVALID";
        }
        assertThat(exit).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
        assertThat(migrator.current()).as("what the killed run committed").contains(point.equals("afterRevision") ? COMPOSITE : INITIAL);

        MigrationResult repaired = migrator.upgrade("head");

        assertThat(repaired.transitions()).hasSize(point.equals("afterRevision") ? 0 : 1);
        assertAtHeadWithEachRevisionOnce(migrator, ds, before);
        System.out.printf("[reliability] PostgreSQL kill -9 at %s of %s: child exit %d, its backend gone %d ms after the kill,"
                        + " index left %s, fresh upgrade applied %d revision(s), verify clean, index valid, log once each, %d rows kept, %.0f ms%n",
                point, COMPOSITE, exit, goneMs, leftIndex, repaired.transitions().size(), before.size(), (System.nanoTime() - t0) / 1e6);
    }

    // ============================================================ migrator processes at once

    @ParameterizedTest(name = "{0} migrator processes")
    @ValueSource(ints = {2, 4})
    void severalMigratorJvmsAtOnce_exactlyOneAppliesEachRevision(int processes) throws Exception {
        long t0 = System.nanoTime();
        PGSimpleDataSource ds = (PGSimpleDataSource) POSTGRES.newDatabase();
        List<ChildJvm> children = new ArrayList<>();
        List<String> applied = new ArrayList<>();
        List<String> byProcess = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                children.add(child(ds, "hostevents-child-" + CHILDREN.incrementAndGet(), "go"));
            }
            for (ChildJvm child : children) {
                child.await("READY", 60);
            }
            long go = System.nanoTime();
            for (ChildJvm child : children) {
                child.send("go");
            }
            for (int i = 0; i < processes; i++) {
                ChildJvm child = children.get(i);
                assertThat(child.exitCode(90)).as("exit code of process %d; output: %s", i, child.output()).isZero();
                String line = child.await("APPLIED", 5).substring("APPLIED".length()).trim();
                byProcess.add("#" + i + "=" + (line.isEmpty() ? "-" : line));
                if (!line.isEmpty()) {
                    applied.addAll(List.of(line.split(",")));
                }
            }
            System.out.printf("[reliability] PostgreSQL %d migrator processes at once: applied %s, all exit 0, %.0f ms after go (%.0f ms with JVM starts)%n",
                    processes, byProcess, (System.nanoTime() - go) / 1e6, (System.nanoTime() - t0) / 1e6);
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertThat(applied).as("each revision applied by exactly one process").containsExactlyInAnyOrder(INITIAL, COMPOSITE);
        Migrator check = Migrator.create(ds);
        assertThat(check.current()).contains(COMPOSITE);
        assertThat(check.log()).extracting(LogEntry::revision).containsExactly(INITIAL, COMPOSITE);
        assertThat(check.verify().drift()).isEmpty();
        assertThat(composite(ds).valid()).isTrue();
    }

    // ============================================================ the migration's connection killed

    @ParameterizedTest(name = "terminated after the DDL of {0}")
    @ValueSource(strings = {INITIAL, COMPOSITE})
    void theMigrationsConnectionTerminatedAfterTheDdl_givesAClearError_andAFreshUpgradeRepairs(String revision) throws Exception {
        PGSimpleDataSource ds = (PGSimpleDataSource) POSTGRES.newDatabase();
        String database = Pg.queryString(ds, "SELECT current_database()");
        List<String> before = List.of();
        if (revision.equals(COMPOSITE)) {
            Migrator.create(ds).upgrade("+1");
            seed(EventStore.create(ds), ROWS);
            before = allRows(ds);
        }
        String app = "hostevents-migrator-" + CHILDREN.incrementAndGet();
        PGSimpleDataSource migrating = (PGSimpleDataSource) POSTGRES.server().dataSource(database);
        migrating.setApplicationName(app);
        AtomicLong terminatedAt = new AtomicLong();
        AtomicInteger killed = new AtomicInteger();
        Migrator faulty = Migrator.builder(migrating).listener(new MigrationListener() {
            @Override
            public void afterDdl(Transition t) {
                if (t.to().equals(revision)) {
                    List<String> pids = Pg.queryStrings(ds, "SELECT pid FROM pg_stat_activity WHERE application_name = '" + app + "'");
                    assertThat(pids).as("the migrating backend").hasSize(1);
                    Pg.execute(ds, "SELECT pg_terminate_backend(" + pids.get(0) + ")");
                    try {
                        awaitBackendGone(ds, app);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    killed.incrementAndGet();
                    terminatedAt.set(System.nanoTime());
                }
            }
        }).build();

        HostEventsException failed = catchThrowableOfType(HostEventsException.class, () -> faulty.upgrade("head"));
        long toErrorMs = (System.nanoTime() - terminatedAt.get()) / 1_000_000;

        assertThat(killed).hasValue(1);
        assertThat(failed).as("a HostEventsException, not a raw driver or jOOQ exception").isNotNull();
        assertThat(failed).isInstanceOf(DatabaseAccessException.class);
        assertThat(failed.getMessage()).contains("57P01");
        Migrator migrator = Migrator.create(ds);
        assertThat(migrator.current()).as("the revision was not recorded").isEqualTo(
                revision.equals(INITIAL) ? java.util.Optional.empty() : java.util.Optional.of(INITIAL));

        MigrationResult repaired = migrator.upgrade("head");

        assertThat(repaired.transitions()).extracting(Transition::to)
                .containsExactlyElementsOf(revision.equals(INITIAL) ? List.of(INITIAL, COMPOSITE) : List.of(COMPOSITE));
        if (revision.equals(INITIAL)) {
            before = allRows(ds);
        }
        assertThat(migrator.verify().drift()).isEmpty();
        assertThat(composite(ds).valid()).isTrue();
        assertThat(migrator.log()).extracting(LogEntry::direction, LogEntry::revision).as("each revision applied once")
                .containsExactly(tuple("upgrade", INITIAL), tuple("upgrade", COMPOSITE));
        assertThat(allRows(ds)).isEqualTo(before);
        System.out.printf("[reliability] PostgreSQL migration connection terminated (pg_terminate_backend) after the DDL of %s:"
                        + " %s %d ms after the kill: \"%s\"; fresh upgrade applied %s, verify clean, log once each, %s%n",
                revision, failed.getClass().getSimpleName(), toErrorMs, oneLine(failed.getMessage()),
                repaired.transitions().stream().map(Transition::to).toList(),
                revision.equals(INITIAL) ? "no rows yet (this revision makes the table)" : before.size() + " rows kept");
    }

    // ============================================================ the database gone under a running store

    @Test
    void everySessionOfTheDatabaseTerminatedMidOperation_givesAClearException_andTheStoreWorksAgain() throws Exception {
        PGSimpleDataSource ds = (PGSimpleDataSource) POSTGRES.newDatabase();
        String database = Pg.queryString(ds, "SELECT current_database()");
        Migrator.create(ds).upgrade("head");
        EventStore store = EventStore.create(ds);
        seed(store, 30);
        CompletableFuture<?> blocked;
        long t0;
        long sessions;
        try (Connection blocker = ds.getConnection(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
            blocked = CompletableFuture.runAsync(() -> store.create(NewEvent.titled("in flight").withHostCode(host(1))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Pg.queryLong(ds, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0) {
                assertThat(System.nanoTime()).as("the create never waited for the lock").isLessThan(deadline);
                Thread.sleep(10);
            }
            t0 = System.nanoTime();
            sessions = Long.parseLong(Pg.queryString(POSTGRES.server().dataSource("postgres"),
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + database + "'"));
        }
        ExecutionException failed = catchThrowableOfType(ExecutionException.class, () -> blocked.get(60, TimeUnit.SECONDS));
        long toErrorMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(failed).as("the in-flight create failed").isNotNull();
        assertThat(failed.getCause()).isInstanceOf(DatabaseAccessException.class);
        assertThat(failed.getCause().getMessage()).contains("57P01");

        store.create(NewEvent.titled("after").withHostCode(host(1)));
        assertThat(store.countByHost(host(1))).as("the in-flight create left nothing, the next one is stored").isEqualTo(30 / HOSTS + 1);
        System.out.printf("[reliability] PostgreSQL all %d sessions of the database terminated under a running store: the in-flight create"
                        + " failed with DatabaseAccessException %d ms later (\"%s\"), nothing half-written; the same store worked again at once%n",
                sessions, toErrorMs, oneLine(failed.getCause().getMessage()));
    }

    @TempDir
    Path serverDirectory;

    @Test
    void aServerStoppedMidOperation_givesAClearExceptionWithinTheTimeout_andTheStoreWorksAgainAfterARestart() throws Exception {
        // A server of its own, so stopping it leaves the shared one of the other tests alone.
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path data = serverDirectory.resolve("data");
        EmbeddedPostgres pg = ownServer(port, data);
        EmbeddedPostgres restarted = null;
        try {
            PGSimpleDataSource ds = (PGSimpleDataSource) pg.getPostgresDatabase();
            ds.setConnectTimeout(5);
            ds.setSocketTimeout(20);
            Migrator.create(ds).upgrade("head");
            EventStore store = EventStore.create(ds);
            seed(store, 30);

            CompletableFuture<?> blocked;
            long t0;
            try (Connection blocker = ds.getConnection(); Statement s = blocker.createStatement()) {
                blocker.setAutoCommit(false);
                s.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
                blocked = CompletableFuture.runAsync(() -> store.create(NewEvent.titled("in flight").withHostCode(host(1))));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (Pg.queryLong(ds, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") == 0) {
                    assertThat(System.nanoTime()).as("the create never waited for the lock").isLessThan(deadline);
                    Thread.sleep(10);
                }
                t0 = System.nanoTime();
                pg.close(); // pg_ctl stop -m fast
            } catch (SQLException closingADeadConnection) {
                throw new AssertionError(closingADeadConnection);
            }
            ExecutionException inFlight = catchThrowableOfType(ExecutionException.class, () -> blocked.get(60, TimeUnit.SECONDS));
            long inFlightMs = (System.nanoTime() - t0) / 1_000_000;
            long t1 = System.nanoTime();
            DatabaseAccessException whileDown = catchThrowableOfType(DatabaseAccessException.class, () -> store.countByHost(host(1)));
            long whileDownMs = (System.nanoTime() - t1) / 1_000_000;

            assertThat(inFlight).isNotNull();
            assertThat(inFlight.getCause()).isInstanceOf(DatabaseAccessException.class);
            assertThat(whileDown).as("an operation while the server is down").isNotNull();
            assertThat(whileDown.getMessage()).contains("08001");
            assertThat(whileDownMs).as("within the connect timeout (5 s), generous bound").isLessThan(60_000);

            restarted = ownServer(port, data);
            store.create(NewEvent.titled("after restart").withHostCode(host(1)));
            assertThat(store.countByHost(host(1))).isEqualTo(30 / HOSTS + 1);
            assertThat(Migrator.create(ds).verify().drift()).isEmpty();
            System.out.printf("[reliability] PostgreSQL server stopped (pg_ctl stop -m fast) under a running store: the in-flight create failed with"
                            + " DatabaseAccessException %d ms later (\"%s\"); while down, a read failed in %d ms (\"%s\", connect timeout 5 s);"
                            + " after a restart on the same data the same store worked again, rows intact%n",
                    inFlightMs, oneLine(inFlight.getCause().getMessage()), whileDownMs, oneLine(whileDown.getMessage()));
        } finally {
            if (restarted != null) {
                restarted.close();
            } else {
                pg.close();
            }
        }
    }

    private static EmbeddedPostgres ownServer(int port, Path data) throws IOException {
        return EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "off")
                .setServerConfig("full_page_writes", "off")
                .start();
    }
}
