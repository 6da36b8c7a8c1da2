package dev.hostevents.dialect.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hostevents.DatabaseAccessException;
import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.migration.Migrator;
import dev.hostevents.testing.ChildJvm;
import dev.hostevents.testing.ProcessFaultContract;
import dev.hostevents.testing.TestDatabase;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Faults that need another process or the file system. The shared ones come from
 * {@link ProcessFaultContract}: a migrator JVM ({@link MigratorChild}) killed with SIGKILL at each point
 * of a revision, checked here also with {@code PRAGMA integrity_check} and for the hot journal it leaves,
 * and several migrator JVMs at once on one file. SQLite's own: the database file made read-only or moved
 * away under a running store.
 */
class SqliteProcessFaultTest extends ProcessFaultContract {
    @TempDir
    Path directory;

    @Override
    protected TestDatabase database() {
        return new SqliteTestFiles(directory);
    }

    @Override
    protected String label() {
        return "SQLite";
    }

    @Override
    protected ChildJvm startMigrator(DataSource ds, String tag, String... childMigrationArgs) throws IOException {
        String[] args = Stream.concat(Stream.of(fileOf(ds).toString()), Stream.of(childMigrationArgs)).toArray(String[]::new);
        return ChildJvm.start(MigratorChild.class, Map.of(), args);
    }

    /** At beforeDdl/afterDdl the child is inside BEGIN IMMEDIATE; after afterDdl the index is built but uncommitted. */
    @Override
    protected String whilePaused(DataSource ds, String tag, String point) {
        return "hot journal left " + (Files.exists(Path.of(fileOf(ds) + "-journal")) ? "yes" : "no");
    }

    @Override
    protected String storageChecks(DataSource ds) {
        assertThat(Pragmas.rows(ds, "PRAGMA integrity_check")).as("table and every index consistent").containsExactly("ok");
        return "integrity_check ok";
    }

    private static Path fileOf(DataSource ds) {
        return Path.of(((SQLiteDataSource) ds).getUrl().substring("jdbc:sqlite:".length()));
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
        Rows before = rows(ds);

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
        assertThat(rows(ds)).as("nothing written half-way").isEqualTo(before);

        store.create(NewEvent.titled("writable again").withHostCode(host(0)));
        assertThat(rows(ds).count()).isEqualTo(before.count() + 1);
        assertThat(Pragmas.rows(ds, "PRAGMA integrity_check")).containsExactly("ok");
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
        Rows before = rows(ds);

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
        assertThat(rows(ds)).isEqualTo(before);
        store.create(NewEvent.titled("back again").withHostCode(host(1)));
        assertThat(store.countByHost(host(1))).isEqualTo(30 / HOSTS + 1);
        System.out.printf("[reliability] SQLite file moved away under a running store: read and write refused with DatabaseAccessException"
                        + " within %.1f ms (\"%s\"); rows intact and the store worked again once the file was back%n",
                elapsedNanos / 1e6, read.getMessage());
    }
}
