package dev.hostevents.dialect.sqlite;

import dev.hostevents.testing.ChildJvm;
import static dev.hostevents.dialect.sqlite.Pragmas.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hostevents.DatabaseAccessException;
import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.migration.LogEntry;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteConfig;

/**
 * Faults that need another process or the file system: a migrator JVM killed with SIGKILL
 * ({@code kill -9}) at each point of a revision, several migrator JVMs at once on one file, and the
 * database file made read-only or moved away under a running store.
 */
class SqliteProcessFaultTest {
    private static final String INITIAL = "9372cec8298d";
    private static final String COMPOSITE = "c1b85c454f94";
    private static final int ROWS = 3000;
    private static final int HOSTS = 6;

    @TempDir
    Path directory;

    private static String host(int i) {
        return String.format("host_%012d", i);
    }

    /** Every row as "id|slug|host_code|created_at", in id order: what must survive a fault unchanged. */
    private static List<String> allRows(DataSource ds) {
        return rows(ds, "SELECT id, slug, host_code, created_at FROM events ORDER BY id");
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

    // ============================================================ kill -9 mid-migration

    @ParameterizedTest(name = "SIGKILL at {0}")
    @ValueSource(strings = {"beforeDdl", "afterDdl", "afterRevision"})
    void aMigratorJvmKilledWithSigkill_atEachPointOfARevision_isRepairedByAFreshUpgrade(String point) throws Exception {
        long t0 = System.nanoTime();
        Path file = new SqliteTestFiles(directory).newFile();
        DataSource ds = SqliteDataSources.file(file);
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("+1");
        seed(EventStore.create(ds), ROWS);
        List<String> before = allRows(ds);

        int exit;
        boolean hotJournal;
        try (ChildJvm child = ChildJvm.start(MigratorChild.class, Map.of(), file.toString(), "pause", point, COMPOSITE)) {
            child.await("PAUSED " + point + " " + COMPOSITE, 60);
            // At beforeDdl/afterDdl the child is inside BEGIN IMMEDIATE; after afterDdl the index is built but uncommitted.
            hotJournal = Files.exists(Path.of(file + "-journal"));
            exit = child.killHard();
        }
        assertThat(exit).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
        assertThat(migrator.current()).as("what the killed run committed")
                .contains(point.equals("afterRevision") ? COMPOSITE : INITIAL);

        MigrationResult repaired = migrator.upgrade("head");

        assertThat(migrator.current()).contains(COMPOSITE);
        assertThat(repaired.transitions()).hasSize(point.equals("afterRevision") ? 0 : 1);
        assertThat(migrator.verify().drift()).isEmpty();
        assertThat(rows(ds, "PRAGMA integrity_check")).as("table and every index consistent").containsExactly("ok");
        assertThat(rows(ds, "SELECT name FROM pragma_index_list('events') WHERE name = 'idx_host_event_created'")).hasSize(1);
        assertThat(migrator.log()).extracting(LogEntry::direction, LogEntry::revision)
                .as("each revision applied once").containsExactly(
                        org.assertj.core.groups.Tuple.tuple("upgrade", INITIAL), org.assertj.core.groups.Tuple.tuple("upgrade", COMPOSITE));
        assertThat(allRows(ds)).as("all rows kept").isEqualTo(before);
        EventStore store = EventStore.create(ds);
        long counted = 0;
        for (int h = 0; h < HOSTS; h++) {
            counted += store.countByHost(host(h));
        }
        assertThat(counted).isEqualTo(ROWS);
        System.out.printf("[reliability] SQLite kill -9 at %s of %s: child exit %d, hot journal left %s, fresh upgrade applied %d revision(s),"
                        + " verify clean, integrity_check ok, log %d upgrade(s), %d/%d rows kept, %.0f ms%n",
                point, COMPOSITE, exit, hotJournal ? "yes" : "no", repaired.transitions().size(), migrator.log().size(),
                before.size(), ROWS, (System.nanoTime() - t0) / 1e6);
    }

    // ============================================================ migrator processes at once

    @ParameterizedTest(name = "{0} migrator processes")
    @ValueSource(ints = {2, 4})
    void severalMigratorJvmsAtOnce_onOneFile_exactlyOneAppliesEachRevision(int processes) throws Exception {
        long t0 = System.nanoTime();
        Path file = new SqliteTestFiles(directory).newFile();
        List<ChildJvm> children = new ArrayList<>();
        List<String> applied = new ArrayList<>();
        List<String> byProcess = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                children.add(ChildJvm.start(MigratorChild.class, Map.of(), file.toString(), "go"));
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
            System.out.printf("[reliability] SQLite %d migrator processes at once: applied %s, all exit 0, %.0f ms after go (%.0f ms with JVM starts)%n",
                    processes, byProcess, (System.nanoTime() - go) / 1e6, (System.nanoTime() - t0) / 1e6);
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertThat(applied).as("each revision applied by exactly one process").containsExactlyInAnyOrder(INITIAL, COMPOSITE);
        Migrator check = Migrator.create(SqliteDataSources.file(file));
        assertThat(check.current()).contains(COMPOSITE);
        assertThat(check.log()).extracting(LogEntry::revision).containsExactly(INITIAL, COMPOSITE);
        assertThat(check.verify().drift()).isEmpty();
    }

    // ============================================================ the file gone

    /** How the file was made read-only: chmod stops writers only when the tests do not run as root. */
    private enum ReadOnlyBy { CHMOD, CHATTR_IMMUTABLE }

    private static boolean writable(Path file) {
        try (FileChannel ignored = FileChannel.open(file, StandardOpenOption.WRITE)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /**
     * Makes the file read-only for this process. {@code chmod a-w} first; root ignores file modes, so
     * when the file is still writable after it, {@code chattr +i} (immutable, which stops root too).
     */
    private static ReadOnlyBy makeReadOnly(Path file) throws IOException, InterruptedException {
        assertThat(file.toFile().setWritable(false, false)).isTrue();
        if (!writable(file)) {
            return ReadOnlyBy.CHMOD;
        }
        int rc = run("chattr", "+i", file.toString());
        assertThat(rc).as("chmod does not stop this user (root) and chattr +i failed (rc %d): cannot make the file read-only", rc).isZero();
        assertThat(writable(file)).as("file writable after chattr +i").isFalse();
        return ReadOnlyBy.CHATTR_IMMUTABLE;
    }

    private static void makeWritable(Path file) throws IOException, InterruptedException {
        run("chattr", "-i", file.toString()); // harmless when the flag was never set
        assertThat(file.toFile().setWritable(true, false)).isTrue();
    }

    @Test
    void theFileMadeReadOnlyMidOperation_givesAClearExceptionAtOnce_readsGoOn_andWritesWorkAgainWhenWritable() throws Exception {
        Path file = new SqliteTestFiles(directory).newFile();
        SQLiteConfig config = SqliteDataSources.recommendedConfig();
        config.setBusyTimeout(2000);
        DataSource ds = SqliteDataSources.file(file, config);
        Migrator.create(ds).upgrade("head");
        EventStore store = EventStore.create(ds);
        seed(store, 50);
        List<String> before = allRows(ds);

        ReadOnlyBy by = makeReadOnly(file);
        long elapsedNanos;
        DatabaseAccessException refused;
        long countWhileReadOnly;
        try {
            long t0 = System.nanoTime();
            refused = catchThrowableOfType(DatabaseAccessException.class,
                    () -> store.create(NewEvent.titled("while read-only").withHostCode(host(0))));
            elapsedNanos = System.nanoTime() - t0;
            countWhileReadOnly = store.countByHost(host(0));
        } finally {
            makeWritable(file);
        }
        assertThat(refused).as("a write to the read-only file").isNotNull();
        assertThat(refused.getMessage().toLowerCase()).contains("readonly");
        assertThat(elapsedNanos).as("no hang (generous bound)").isLessThan(TimeUnit.SECONDS.toNanos(60));
        assertThat(countWhileReadOnly).as("reads go on").isEqualTo(50 / HOSTS + (50 % HOSTS > 0 ? 1 : 0));
        assertThat(allRows(ds)).as("nothing written half-way").isEqualTo(before);

        store.create(NewEvent.titled("writable again").withHostCode(host(0)));
        assertThat(allRows(ds)).hasSize(before.size() + 1);
        assertThat(rows(ds, "PRAGMA integrity_check")).containsExactly("ok");
        System.out.printf("[reliability] SQLite file made read-only (%s) under a running store: create refused with DatabaseAccessException"
                        + " after %.1f ms (busy timeout 2000 ms): \"%s\"; reads went on; the store wrote again once the file was writable%n",
                by == ReadOnlyBy.CHMOD ? "chmod a-w" : "chmod a-w ignored by root, so chattr +i",
                elapsedNanos / 1e6, refused.getMessage());
    }

    @Test
    void theFileMovedAwayMidOperation_givesAClearException_andTheStoreWorksAgainWhenItIsBack() throws Exception {
        Path file = new SqliteTestFiles(directory).newFile();
        DataSource ds = SqliteDataSources.file(file);
        Migrator.create(ds).upgrade("head");
        EventStore store = EventStore.create(ds);
        seed(store, 30);
        List<String> before = allRows(ds);

        Path away = directory.resolve("moved-away.db");
        Files.move(file, away, StandardCopyOption.ATOMIC_MOVE);
        long t0 = System.nanoTime();
        DatabaseAccessException read = catchThrowableOfType(DatabaseAccessException.class, () -> store.countByHost(host(1)));
        DatabaseAccessException write = catchThrowableOfType(DatabaseAccessException.class,
                () -> store.create(NewEvent.titled("while gone").withHostCode(host(1))));
        long elapsedNanos = System.nanoTime() - t0;
        assertThat(read).isNotNull();
        assertThat(write).isNotNull();
        assertThat(read.getMessage()).contains("no such table");
        assertThat(elapsedNanos).as("no hang (generous bound)").isLessThan(TimeUnit.SECONDS.toNanos(60));

        // SQLite made an empty file where the database was; the database comes back over it.
        Files.move(away, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(allRows(ds)).isEqualTo(before);
        store.create(NewEvent.titled("back again").withHostCode(host(1)));
        assertThat(store.countByHost(host(1))).isEqualTo(30 / HOSTS + 1);
        System.out.printf("[reliability] SQLite file moved away under a running store: read and write refused with DatabaseAccessException"
                        + " within %.1f ms (\"%s\"); rows intact and the store worked again once the file was back%n",
                elapsedNanos / 1e6, read.getMessage());
    }
}
