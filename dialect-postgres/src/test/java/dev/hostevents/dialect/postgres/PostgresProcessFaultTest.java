package dev.hostevents.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hostevents.DatabaseAccessException;
import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.LiveIndex;
import dev.hostevents.testing.ChildJvm;
import dev.hostevents.testing.ServerProcessFaultContract;
import dev.hostevents.testing.TestDatabase;
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
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Faults from outside the migrating JVM on PostgreSQL. The shared ones come from
 * {@link ServerProcessFaultContract}: a migrator JVM ({@link PgMigratorChild}) killed with SIGKILL at
 * each point of a revision, several migrator JVMs at once, the migration's own connection terminated
 * ({@code pg_terminate_backend}). PostgreSQL's own: the kill in the middle of
 * {@code CREATE INDEX CONCURRENTLY}, every session of the database terminated under a running store,
 * and a server stopped and started again.
 */
class PostgresProcessFaultTest extends ServerProcessFaultContract {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.instance();

    @Override
    protected TestDatabase database() {
        return POSTGRES;
    }

    @Override
    protected String label() {
        return "PostgreSQL";
    }

    /** The child's {@code application_name} is the tag, so its backend can be found. */
    @Override
    protected ChildJvm startMigrator(DataSource ds, String tag, String... childMigrationArgs) throws IOException {
        PGSimpleDataSource pg = (PGSimpleDataSource) ds;
        Map<String, String> env = new HashMap<>();
        env.put("HOSTEVENTS_CHILD_PASSWORD", pg.getPassword() == null ? "" : pg.getPassword());
        if (checksDeadClients(ds)) {
            env.put("HOSTEVENTS_CHILD_OPTIONS", "-c client_connection_check_interval=200");
        }
        List<String> all = new ArrayList<>(List.of(pg.getURL(), pg.getUser(), tag));
        all.addAll(List.of(childMigrationArgs));
        return ChildJvm.start(PgMigratorChild.class, env, all.toArray(String[]::new));
    }

    @Override
    protected long awaitKilledSessionGone(DataSource ds, String tag) throws InterruptedException {
        return awaitBackendGone(ds, tag);
    }

    @Override
    protected String storageChecks(DataSource ds) {
        assertThat(Pg.queryLong(ds, "SELECT count(*) FROM pg_class WHERE relname LIKE 'idx_host_event_created%'"))
                .as("no leftover of an interrupted concurrent build").isEqualTo(1);
        return "index alone";
    }

    @Override
    protected DataSource taggedDataSource(DataSource ds, String tag) {
        PGSimpleDataSource tagged = (PGSimpleDataSource) POSTGRES.server().dataSource(Pg.queryString(ds, "SELECT current_database()"));
        tagged.setApplicationName(tag);
        return tagged;
    }

    @Override
    protected String killSession(DataSource ds, String tag) throws InterruptedException {
        List<String> pids = Pg.queryStrings(ds, "SELECT pid FROM pg_stat_activity WHERE application_name = '" + tag + "'");
        assertThat(pids).as("the migrating backend").hasSize(1);
        Pg.execute(ds, "SELECT pg_terminate_backend(" + pids.get(0) + ")");
        awaitBackendGone(ds, tag);
        return "pg_terminate_backend(" + pids.get(0) + ")";
    }

    @Override
    protected String expectedKillError() {
        return "57P01";
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

    // ============================================================ kill -9 mid CREATE INDEX CONCURRENTLY

    @Test
    void aMigratorJvmKilledWithSigkill_midConcurrentBuild_leavesAnInvalidIndex_thatAFreshUpgradeRebuilds() throws Exception {
        long t0 = System.nanoTime();
        PGSimpleDataSource ds = (PGSimpleDataSource) POSTGRES.newDatabase();
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("+1");
        seed(EventStore.create(ds), ROWS);
        Rows before = rows(ds);
        String app = newTag("hostevents-child-");

        int exit;
        long goneMs;
        // An open transaction that wrote to events holds CREATE INDEX CONCURRENTLY in its
        // "waiting for writers" phase, after the index entered the catalog (INVALID): the kill lands there.
        try (Connection blocker = ds.getConnection(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("LOCK TABLE events IN ROW EXCLUSIVE MODE");
            try (ChildJvm child = startMigrator(ds, app, "pause", "none", "-")) {
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
        LiveIndex left = compositeIndex(ds);
        assertThat(left).as("the interrupted concurrent build left its index").isNotNull();
        assertThat(left.valid()).as("left INVALID").isFalse();
        assertThat(migrator.verify().drift()).singleElement().asString().contains("INVALID");
        assertThat(exit).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
        assertThat(migrator.current()).as("what the killed run committed").contains(INITIAL);

        MigrationResult repaired = migrator.upgrade("head");

        assertThat(repaired.transitions()).hasSize(1);
        assertRepairedAtHead(migrator, ds, before);
        System.out.printf("[reliability] PostgreSQL kill -9 at midConcurrentBuild of %s: child exit %d, its backend gone %d ms after the kill,"
                        + " index left INVALID, fresh upgrade applied %d revision(s), verify clean, index valid and alone, log once each,"
                        + " %d rows kept, %.0f ms%n",
                COMPOSITE, exit, goneMs, repaired.transitions().size(), before.count(), (System.nanoTime() - t0) / 1e6);
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
        // Watched from the maintenance database, so that watching opens no session in the one terminated.
        DataSource admin = POSTGRES.server().dataSource("postgres");
        try (Connection blocker = ds.getConnection(); Statement s = blocker.createStatement()) {
            int blockerPid = Pg.backendPid(blocker);
            blocker.setAutoCommit(false);
            s.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
            blocked = CompletableFuture.runAsync(() -> store.create(NewEvent.titled("in flight").withHostCode(host(1))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Pg.queryLong(admin, "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database
                    + "' AND wait_event_type = 'Lock'") == 0) {
                assertThat(System.nanoTime()).as("the create never waited for the lock").isLessThan(deadline);
                Thread.sleep(10);
            }
            t0 = System.nanoTime();
            // pg_terminate_backend only signals: a backend processes its termination a little later. Were
            // the blocker ended together with the others, it could release the table lock before the
            // waiting create's backend got to its own termination, and the create would succeed. So every
            // other session is ended first, and the blocker only once they are all gone.
            String others = "FROM pg_stat_activity WHERE datname = '" + database + "' AND pid <> " + blockerPid;
            sessions = Pg.queryLong(admin, "SELECT count(pg_terminate_backend(pid)) " + others);
            // Signalled again while waiting: one that turned up meanwhile (an autovacuum worker) is ended too.
            while (Pg.queryLong(admin, "SELECT count(pg_terminate_backend(pid)) " + others) > 0) {
                assertThat(System.nanoTime() - t0).as("sessions still there after pg_terminate_backend")
                        .isLessThan(TimeUnit.SECONDS.toNanos(30));
                Thread.sleep(10);
            }
            sessions += Pg.queryLong(admin, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid = " + blockerPid);
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
