package dev.hostevents.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.migration.HostEventsRevisions;
import dev.hostevents.migration.LogEntry;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.Dialects;
import dev.hostevents.spi.LiveIndex;
import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults from outside the migrating JVM, run against a real database by every dialect module: a
 * migrator in a JVM of its own ({@link ChildJvm} running {@link ChildMigration}) killed with SIGKILL,
 * and several migrator JVMs started at once. Figures are printed as {@code [reliability] …} lines
 * (never asserted) and collected in {@code docs/reliability.md}.
 *
 * <h2>What the tests prove</h2>
 * <ul>
 *   <li>{@code aMigratorJvmKilledWithSigkill_atEachPointOfARevision_isRepairedByAFreshUpgrade}: on a
 *       database at {@value #INITIAL} with {@value #ROWS} rows over {@value #HOSTS} hosts, a child JVM
 *       upgrading to head is killed with {@code kill -9} at {@code beforeDdl}, {@code afterDdl} or
 *       {@code afterRevision} of {@value #COMPOSITE}. It exits 137; what it left is what the database
 *       committed (the version, and the index only where the DDL outlives the run: no transactional DDL,
 *       or a statement run outside the transaction); a fresh upgrade in this JVM then ends at head with
 *       exactly the revisions still missing, {@code verify} clean, the composite index present and valid,
 *       each revision once in the migration log, every row unchanged (count and SHA-256 of every row) and
 *       {@code countByHost} right for every host.</li>
 *   <li>{@code severalMigratorJvmsAtOnce_exactlyOneAppliesEachRevision}: 2 and 4 migrator JVMs on one
 *       empty database, released together (each prints {@code READY}, the test sends {@code go});
 *       all exit 0, each revision is applied by exactly one of them, and the database ends at head,
 *       {@code verify} clean, the log once each, the composite index valid.</li>
 * </ul>
 *
 * <h2>Use from a dialect module</h2>
 * Extend it in the module's tests and supply {@link #database()} and {@link #startMigrator} (a main class
 * of the module's test class path that builds its {@code DataSource} from its arguments and calls
 * {@link ChildMigration#run}). Where the database needs it, also override {@link #label()},
 * {@link #whilePaused}, {@link #awaitKilledSessionGone} and {@link #storageChecks}. A client–server
 * database extends {@link ServerProcessFaultContract} instead. Tests that only one database has stay in
 * the subclass, and can use the helpers here ({@link #seed}, {@link #rows}, {@link #assertRepairedAtHead}).
 *
 * <pre>{@code
 * class SqliteProcessFaultTest extends ProcessFaultContract {
 *     @TempDir Path directory;
 *
 *     protected TestDatabase database() { return new SqliteTestFiles(directory); }
 *
 *     // MigratorChild.main(args) is ChildMigration.run(SqliteDataSources.file(Path.of(args[0])), args, 1)
 *     protected ChildJvm startMigrator(DataSource ds, String tag, String... childMigrationArgs) throws IOException {
 *         String[] args = Stream.concat(Stream.of(fileOf(ds).toString()), Stream.of(childMigrationArgs)).toArray(String[]::new);
 *         return ChildJvm.start(MigratorChild.class, Map.of(), args);
 *     }
 * }
 * }</pre>
 */
public abstract class ProcessFaultContract {
    /** The initial schema, {@code 9372cec8298d}: it makes the table. */
    protected static final String INITIAL = "9372cec8298d";
    /** The composite index revision, {@code c1b85c454f94}: the one the kill -9 interrupts. */
    protected static final String COMPOSITE = "c1b85c454f94";
    /** Rows seeded before the interrupted revision. */
    protected static final int ROWS = 3000;
    /** Hosts the seeded rows are spread over (evenly: {@code ROWS / HOSTS} each). */
    protected static final int HOSTS = 6;

    private static final AtomicInteger TAGS = new AtomicInteger();

    // =================================================================== hooks

    /** The database under test; each call of {@code newDatabase()} is fresh. */
    protected abstract TestDatabase database();

    /**
     * Starts this database's migrator main in a JVM of its own, on the database of {@code ds}.
     *
     * @param ds the database the child migrates (from {@link #database()})
     * @param tag unique per child, e.g. {@code hostevents-child-7}: lets the database name the child's
     *     session where it can ({@code application_name}); a child may ignore it
     * @param childMigrationArgs the {@link ChildMigration} arguments: {@code pause <point> <revision>} or {@code go}
     */
    protected abstract ChildJvm startMigrator(DataSource ds, String tag, String... childMigrationArgs) throws IOException;

    /** The database's name in the {@code [reliability]} lines, e.g. {@code SQLite}. */
    protected String label() {
        return database().describe();
    }

    /**
     * Looks at (and may assert on) the database while the child is paused at {@code point}, before the
     * kill; returns what it saw for the printout, e.g. {@code hot journal left yes}, or {@code null}.
     */
    protected String whilePaused(DataSource ds, String tag, String point) throws Exception {
        return null;
    }

    /**
     * Waits after the kill for what must happen before the fresh upgrade can run, e.g. the server
     * dropping the dead child's session; returns the milliseconds it took, or -1 when nothing is waited
     * for (the default: an embedded database has no session to outlive the process).
     */
    protected long awaitKilledSessionGone(DataSource ds, String tag) throws Exception {
        return -1;
    }

    /**
     * Asserts this database's own storage consistency after a repair (e.g. SQLite's
     * {@code PRAGMA integrity_check}); returns what it checked for the printout, or {@code null} for
     * nothing (the default).
     */
    protected String storageChecks(DataSource ds) throws Exception {
        return null;
    }

    // =================================================================== kill -9 mid-migration

    @ParameterizedTest(name = "SIGKILL at {0}")
    @ValueSource(strings = {"beforeDdl", "afterDdl", "afterRevision"})
    void aMigratorJvmKilledWithSigkill_atEachPointOfARevision_isRepairedByAFreshUpgrade(String point) throws Exception {
        long t0 = System.nanoTime();
        DataSource ds = database().newDatabase();
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("+1");
        seed(EventStore.create(ds), ROWS);
        Rows before = rows(ds);
        assertThat(before.count()).isEqualTo(ROWS);
        String tag = newTag("hostevents-child-");

        int exit;
        String seen;
        try (ChildJvm child = startMigrator(ds, tag, "pause", point, COMPOSITE)) {
            child.await("PAUSED " + point + " " + COMPOSITE, 60);
            seen = whilePaused(ds, tag, point);
            exit = child.killHard();
        }
        long goneMs = awaitKilledSessionGone(ds, tag);
        assertThat(exit).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
        assertThat(migrator.current()).as("what the killed run committed").contains(point.equals("afterRevision") ? COMPOSITE : INITIAL);
        LiveIndex left = compositeIndex(ds);
        boolean outlives = point.equals("afterRevision") || (point.equals("afterDdl") && compositeDdlOutlivesItsRun(ds));
        assertThat(left != null).as("index left by the run killed at %s", point).isEqualTo(outlives);
        if (left != null) {
            assertThat(left.valid()).as("index left by the killed run is valid (its DDL had completed)").isTrue();
        }

        MigrationResult repaired = migrator.upgrade("head");

        assertThat(repaired.transitions()).hasSize(point.equals("afterRevision") ? 0 : 1);
        String checked = assertRepairedAtHead(migrator, ds, before);
        System.out.printf("[reliability] %s kill -9 at %s of %s: child exit %d%s%s, index left %s, fresh upgrade applied %d revision(s),"
                        + " verify clean, index valid%s, log once each, %d/%d rows kept, countByHost sums to %d, %.0f ms%n",
                label(), point, COMPOSITE, exit, seen == null ? "" : ", " + seen,
                goneMs < 0 ? "" : ", its session gone " + goneMs + " ms after the kill", left == null ? "none" : "valid",
                repaired.transitions().size(), checked == null ? "" : ", " + checked, before.count(), ROWS, before.count(),
                (System.nanoTime() - t0) / 1e6);
    }

    /**
     * Whether the DDL of {@value #COMPOSITE} is still there when the process that ran it dies before
     * committing: the dialect has no transactional DDL, or the statement runs outside the transaction
     * (PostgreSQL's {@code CREATE INDEX CONCURRENTLY}).
     */
    private static boolean compositeDdlOutlivesItsRun(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            Dialect dialect = Dialects.forConnection(c);
            if (!dialect.migration().supportsTransactionalDdl()) {
                return true;
            }
            RenderContext context = RenderContext.of(dialect);
            return HostEventsRevisions.COMPOSITE_INDEX.upgradeSteps().stream()
                    .flatMap(step -> step.render(context).stream())
                    .anyMatch(RenderedStatement::outsideTransaction);
        }
    }

    // =================================================================== migrator processes at once

    @ParameterizedTest(name = "{0} migrator processes")
    @ValueSource(ints = {2, 4})
    void severalMigratorJvmsAtOnce_exactlyOneAppliesEachRevision(int processes) throws Exception {
        long t0 = System.nanoTime();
        DataSource ds = database().newDatabase();
        List<ChildJvm> children = new ArrayList<>();
        List<String> applied = new ArrayList<>();
        List<String> byProcess = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                children.add(startMigrator(ds, newTag("hostevents-child-"), "go"));
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
            System.out.printf("[reliability] %s %d migrator processes at once: applied %s, all exit 0, %.0f ms after go (%.0f ms with JVM starts)%n",
                    label(), processes, byProcess, (System.nanoTime() - go) / 1e6, (System.nanoTime() - t0) / 1e6);
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertThat(applied).as("each revision applied by exactly one process").containsExactlyInAnyOrder(INITIAL, COMPOSITE);
        Migrator check = Migrator.create(ds);
        assertThat(check.current()).contains(COMPOSITE);
        assertThat(check.log()).extracting(LogEntry::direction, LogEntry::revision)
                .containsExactly(tuple("upgrade", INITIAL), tuple("upgrade", COMPOSITE));
        assertThat(check.verify().drift()).isEmpty();
        assertThat(compositeIndex(ds)).as("the composite index").isNotNull();
        assertThat(compositeIndex(ds).valid()).isTrue();
    }

    // =================================================================== helpers (also for subclasses)

    /** A fresh tag, {@code prefix} and a number unique in this JVM. */
    protected static String newTag(String prefix) {
        return prefix + TAGS.incrementAndGet();
    }

    /** The {@code i}-th host code of the seeded rows. */
    protected static String host(int i) {
        return String.format("host_%012d", i);
    }

    /** A message on one line, for the {@code [reliability]} figures. */
    protected static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", " / ");
    }

    /** Creates {@code rows} events spread over {@value #HOSTS} hosts, in batches of 500. */
    protected static void seed(EventStore store, int rows) {
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

    /**
     * The rows of {@code events}, as a count and a SHA-256 of every row ("id|slug|host_code|created_at",
     * in id order): what must survive a fault unchanged, compared without ever printing a host code.
     */
    public record Rows(long count, String digest) {
    }

    /** {@link Rows} of {@code events} in the database of {@code ds}. */
    protected static Rows rows(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, slug, host_code, created_at FROM events ORDER BY id")) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long n = 0;
            while (rs.next()) {
                md.update((rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                n++;
            }
            return new Rows(n, HexFormat.of().formatHex(md.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The live {@code idx_host_event_created}, read through the dialect's catalog, or {@code null}. */
    protected static LiveIndex compositeIndex(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return Dialects.forConnection(c).schema().readIndexes(c, HostEventsRevisions.EVENTS).stream()
                    .filter(i -> i.name().equals(HostEventsRevisions.IDX_HOST_EVENT_CREATED.name())).findFirst().orElse(null);
        }
    }

    /**
     * What a repair must leave: at head, {@code verify} clean, the composite index present and valid,
     * each revision once in the log, every row of {@code before} unchanged, {@code countByHost} right for
     * every host (rows as {@link #seed} spreads them), and {@link #storageChecks}.
     *
     * @return what {@link #storageChecks} checked, or {@code null}
     */
    protected final String assertRepairedAtHead(Migrator migrator, DataSource ds, Rows before) throws Exception {
        assertThat(migrator.current()).contains(COMPOSITE);
        assertThat(migrator.verify().drift()).isEmpty();
        LiveIndex index = compositeIndex(ds);
        assertThat(index).as("the composite index").isNotNull();
        assertThat(index.valid()).as("the composite index is valid").isTrue();
        assertThat(migrator.log()).extracting(LogEntry::direction, LogEntry::revision).as("each revision applied once")
                .containsExactly(tuple("upgrade", INITIAL), tuple("upgrade", COMPOSITE));
        assertThat(rows(ds)).as("all rows kept").isEqualTo(before);
        EventStore store = EventStore.create(ds);
        long counted = 0;
        for (int h = 0; h < HOSTS; h++) {
            long n = store.countByHost(host(h));
            assertThat(n).as("countByHost of host %d", h).isEqualTo(before.count() / HOSTS);
            counted += n;
        }
        assertThat(counted).as("countByHost over every host").isEqualTo(before.count());
        return storageChecks(ds);
    }
}
