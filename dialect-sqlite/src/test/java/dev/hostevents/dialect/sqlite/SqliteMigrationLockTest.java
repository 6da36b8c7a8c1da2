package dev.hostevents.dialect.sqlite;

import static dev.hostevents.dialect.sqlite.Pragmas.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hostevents.HostEventsException;
import dev.hostevents.migration.MigrationLockTimeoutException;
import dev.hostevents.migration.CreateIndexStep;
import dev.hostevents.migration.LogEntry;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.Revision;
import dev.hostevents.migration.RevisionChain;
import dev.hostevents.migration.Transition;
import dev.hostevents.spi.IndexColumn;
import dev.hostevents.spi.IndexSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
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
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code BEGIN IMMEDIATE} as the migration lock, and SQLite's transactional DDL, with separate
 * connections from separate data sources on one file, as two processes would have.
 */
class SqliteMigrationLockTest {
    @TempDir
    Path directory;
    Path file;
    ExecutorService pool;

    @BeforeEach
    void setUp() {
        file = new SqliteTestFiles(directory).newFile();
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    @RepeatedTest(5)
    void twoMigratorsOnTwoDataSources_eachRevisionIsAppliedOnce_theLaterOneFindsNothingLeft() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<MigrationResult>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            DataSource own = SqliteDataSources.file(file); // a data source of its own, as another process has
            runs.add(pool.submit(() -> {
                start.await();
                return Migrator.create(own).upgrade("head");
            }));
        }
        start.countDown();
        List<Transition> applied = new ArrayList<>();
        for (Future<MigrationResult> run : runs) {
            MigrationResult result = run.get(60, TimeUnit.SECONDS);
            assertThat(result.current()).isEqualTo("c1b85c454f94");
            applied.addAll(result.transitions());
        }

        Migrator check = Migrator.create(SqliteDataSources.file(file));
        assertThat(applied).extracting(Transition::to).containsExactlyInAnyOrder("9372cec8298d", "c1b85c454f94");
        assertThat(check.log()).extracting(LogEntry::revision).containsExactly("9372cec8298d", "c1b85c454f94");
        assertThat(check.verify().drift()).isEmpty();
        assertThat(rows(SqliteDataSources.file(file), "PRAGMA index_list('events')"))
                .containsExactlyElementsOf(SqliteSchemaParityTest.REFERENCE_INDEX_LIST);
    }

    @Test
    void aMigratorWaitsForAnotherWriter_thenApplies() throws Exception {
        DataSource ds = SqliteDataSources.file(file);
        Migrator.create(ds).upgrade("+1");
        CountDownLatch migratorStarted = new CountDownLatch(1);
        Future<MigrationResult> run;
        try (Connection holder = ds.getConnection()) {
            holder.setAutoCommit(false); // IMMEDIATE mode from SqliteDataSources: holds the write lock now
            run = pool.submit(() -> {
                migratorStarted.countDown();
                return Migrator.builder(SqliteDataSources.file(file)).migrationLockWait(Duration.ofSeconds(30)).build().upgrade("head");
            });
            migratorStarted.await();
            Thread.sleep(300); // let it reach BEGIN IMMEDIATE and wait there
            assertThat(run.isDone()).as("the migrator must wait while another connection holds the write lock").isFalse();
            holder.rollback();
        }
        MigrationResult result = run.get(60, TimeUnit.SECONDS);
        assertThat(result.transitions()).extracting(Transition::to).containsExactly("c1b85c454f94");
    }

    @Test
    void aMigratorThatCannotGetTheWriteLockInTime_failsWithALockTimeout_andChangesNothing() throws Exception {
        DataSource ds = SqliteDataSources.file(file);
        Migrator.create(ds).upgrade("+1");
        Migrator impatient = Migrator.builder(SqliteDataSources.file(file)).migrationLockWait(Duration.ofMillis(200)).build();

        try (Connection holder = ds.getConnection()) {
            holder.setAutoCommit(false);
            MigrationLockTimeoutException e = catchThrowableOfType(MigrationLockTimeoutException.class, () -> impatient.upgrade("head"));
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains("write lock").contains("200 ms").contains("nothing was changed");
            holder.rollback();
        }
        assertThat(impatient.current()).contains("9372cec8298d");
        assertThat(rows(ds, "PRAGMA index_list('events')")).doesNotContain("0|idx_host_event_created|0|c|0");
        // The connection's own busy timeout is back to what the data source set.
        MigrationResult later = impatient.upgrade("head");
        assertThat(later.current()).isEqualTo("c1b85c454f94");
    }

    @Test
    void aRevisionWhoseSecondStepFails_rollsBackItsFirstStepToo_transactionalDdl() {
        DataSource ds = SqliteDataSources.file(file);
        IndexSpec good = new IndexSpec("ix_events_is_active", "events", List.of(IndexColumn.asc("is_active")), false);
        IndexSpec bad = new IndexSpec("ix_events_no_such_column", "events", List.of(IndexColumn.asc("no_such_column")), false);
        RevisionChain chain = RevisionChain.builtIn().append(Revision.builder("a1b2c3d4e5f6", "two indexes, one broken")
                .downRevision("c1b85c454f94")
                .upgrade(new CreateIndexStep(good), new CreateIndexStep(bad))
                .build());
        Migrator migrator = Migrator.builder(ds).chain(chain).build();
        migrator.upgrade("c1b85c454f94");

        HostEventsException e = catchThrowableOfType(HostEventsException.class, () -> migrator.upgrade("head"));

        assertThat(e).isNotNull().hasMessageContaining("no_such_column");
        assertThat(migrator.current()).contains("c1b85c454f94");
        assertThat(rows(ds, "SELECT name FROM sqlite_master WHERE name = 'ix_events_is_active'")).isEmpty();
        assertThat(migrator.log()).extracting(LogEntry::revision).containsExactly("9372cec8298d", "c1b85c454f94");
        // The connection was handed back usable: the next run works once the chain is fixed.
        assertThat(Migrator.create(ds).upgrade("head").nothingToDo()).isTrue();
    }

    @Test
    void aMigrationConnectionIsReturnedInAutoCommitWithItsBusyTimeout() throws Exception {
        SqliteMigration dialect = new SqliteMigration();
        DataSource ds = SqliteDataSources.file(file);
        try (Connection c = ds.getConnection()) {
            var lock = dialect.acquireLock(c, ds, Duration.ofSeconds(42));
            assertThat(rows(c, "PRAGMA busy_timeout")).containsExactly("42000");
            dialect.beginRevision(c);
            assertThat(c.getAutoCommit()).isFalse();
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE scratch (x)");
            }
            dialect.rollbackRevision(c);
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(new SqliteSchema().tableExists(c, "scratch")).isFalse();
            dialect.beginRevision(c);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE scratch (x)");
            }
            dialect.commitRevision(c);
            assertThat(c.getAutoCommit()).isTrue();
            lock.close();
            assertThat(rows(c, "PRAGMA busy_timeout")).containsExactly("5000");
            // Committed, and no transaction (hence no lock) left open on c: another connection writes at once.
            try (Connection other = ds.getConnection(); Statement s = other.createStatement()) {
                s.execute("PRAGMA busy_timeout = 0");
                s.execute("INSERT INTO scratch VALUES (1)");
            }
            assertThat(rows(c, "SELECT count(*) FROM scratch")).containsExactly("1");
        }
    }
}
