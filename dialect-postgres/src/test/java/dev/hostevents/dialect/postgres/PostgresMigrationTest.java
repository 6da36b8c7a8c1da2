package dev.hostevents.dialect.postgres;

import static dev.hostevents.dialect.postgres.Pg.execute;
import static dev.hostevents.dialect.postgres.Pg.queryLong;
import static dev.hostevents.dialect.postgres.Pg.queryString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hostevents.migration.MigrationLockTimeoutException;
import dev.hostevents.migration.SchemaDriftException;
import dev.hostevents.migration.LogEntry;
import dev.hostevents.migration.MigrationListener;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.MigrationStep;
import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.Revision;
import dev.hostevents.migration.RevisionChain;
import dev.hostevents.migration.Transition;
import dev.hostevents.migration.VerifyReport;
import dev.hostevents.spi.Dialects;
import dev.hostevents.spi.IndexColumn;
import dev.hostevents.spi.LiveIndex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PostgreSQL's own migration behaviour: concurrent builds, lock timeouts, the advisory lock, verify. */
class PostgresMigrationTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.instance();

    private static final String INITIAL = "9372cec8298d";
    private static final String COMPOSITE = "c1b85c454f94";

    private DataSource ds;
    private Migrator migrator;

    @BeforeEach
    void freshDatabase() {
        ds = POSTGRES.newDatabase();
        migrator = Migrator.create(ds);
    }

    private Map<String, LiveIndex> liveIndexes() throws Exception {
        try (Connection c = ds.getConnection()) {
            return Dialects.forConnection(c).schema().readIndexes(c, "events").stream()
                    .collect(Collectors.toMap(LiveIndex::name, Function.identity()));
        }
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    // =================================================================== concurrent build, transactional DDL

    @Test
    void compositeIndex_isBuiltWithCreateIndexConcurrently_andTheLogRecordsExactlyThatStatement() throws Exception {
        migrator.upgrade("head");

        LogEntry composite = migrator.log().get(1);
        assertThat(composite.revision()).isEqualTo(COMPOSITE);
        // CONCURRENTLY fails with "cannot run inside a transaction block" unless it ran in auto-commit.
        assertThat(composite.checksum())
                .isEqualTo(sha256("CREATE INDEX CONCURRENTLY idx_host_event_created ON events(host_code, created_at DESC)"));
        assertThat(liveIndexes().get("idx_host_event_created").valid()).isTrue();

        migrator.downgrade("-1");
        assertThat(migrator.log().get(2).checksum()).isEqualTo(sha256("DROP INDEX CONCURRENTLY idx_host_event_created"));
    }

    @Test
    void initialSchema_isOneTransaction_aFailureAfterItsDdlLeavesNoTableBehind() throws Exception {
        Migrator crashing = Migrator.builder(ds).listener(new MigrationListener() {
            @Override
            public void afterDdl(Transition t) {
                throw new IllegalStateException("simulated crash after the DDL of " + t.to());
            }
        }).build();

        catchThrowableOfType(IllegalStateException.class, () -> crashing.upgrade("+1"));

        assertThat(queryLong(ds, "SELECT count(*) FROM pg_class WHERE relname LIKE 'ix_events%' OR relname = 'events'")).isZero();
        assertThat(migrator.current()).isEmpty();
        assertThat(migrator.upgrade("head").transitions()).hasSize(2);
        assertThat(migrator.verify().drift()).isEmpty();
    }

    // =================================================================== lock_timeout

    @Test
    void concurrentBuild_blockedByATransactionHoldingATableLock_isMigrationLockTimeout_andNothingIsRecorded() throws Exception {
        migrator.upgrade("+1");
        Migrator impatient = Migrator.builder(ds).lockTimeout(Duration.ofMillis(300)).build();

        try (Connection blocker = ds.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
            }
            MigrationLockTimeoutException e = catchThrowableOfType(MigrationLockTimeoutException.class,
                    () -> impatient.upgrade("head"));
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains(COMPOSITE).contains("300 ms").contains("nothing of it was recorded");
            blocker.rollback();
        }

        assertThat(migrator.current()).contains(INITIAL);
        assertThat(migrator.log()).extracting(LogEntry::revision).containsExactly(INITIAL);
        assertThat(liveIndexes()).doesNotContainKey("idx_host_event_created");
        assertThat(migrator.upgrade("head").transitions()).extracting(Transition::to).containsExactly(COMPOSITE);
        assertThat(migrator.verify().drift()).isEmpty();
    }

    @Test
    void concurrentBuild_waitingForALongWriteTransaction_timesOut_leavesAnInvalidIndex_andTheNextUpgradeRebuildsIt() throws Exception {
        migrator.upgrade("+1");
        Migrator impatient = Migrator.builder(ds).lockTimeout(Duration.ofMillis(300)).build();

        try (Connection writer = ds.getConnection()) {
            writer.setAutoCommit(false);
            try (Statement s = writer.createStatement()) {
                s.execute("INSERT INTO events (title, slug, short_code, host_code, created_at)"
                        + " VALUES ('w', 'w-1', 'W1', 'host_aaaaaaaa0001', timestamp '2025-10-08 20:52:27')");
            }
            // The build registers the index, then waits for running writers: that wait hits lock_timeout.
            assertThat(catchThrowableOfType(MigrationLockTimeoutException.class, () -> impatient.upgrade("head"))).isNotNull();
            assertThat(liveIndexes().get("idx_host_event_created").valid()).isFalse();
            assertThat(migrator.verify().drift()).singleElement().asString()
                    .contains("idx_host_event_created").contains("INVALID").contains("does not have it");
            writer.commit();
        }

        assertThat(migrator.current()).contains(INITIAL);
        MigrationResult repaired = migrator.upgrade("head");
        assertThat(repaired.transitions()).extracting(Transition::to).containsExactly(COMPOSITE);
        assertThat(liveIndexes().get("idx_host_event_created").valid()).isTrue();
        assertThat(migrator.verify().drift()).isEmpty();
        assertThat(migrator.log()).extracting(LogEntry::revision).containsExactly(INITIAL, COMPOSITE);
    }

    @Test
    void transactionalDdl_blockedByAReader_timesOut_andIsRolledBackWhole() throws Exception {
        RevisionChain chain = RevisionChain.builtIn().append(Revision.builder("a1b2c3d4e5f6", "add events.room")
                .downRevision(COMPOSITE)
                .upgrade(MigrationStep.of("create table rooms", ctx -> ctx.dsl().createTable(DSL.name("rooms"))
                                .column(DSL.name("id"), SQLDataType.INTEGER)),
                        MigrationStep.of("add column room", ctx -> ctx.dsl().alterTable(DSL.name("events"))
                                .addColumn(DSL.name("room"), SQLDataType.VARCHAR(20))))
                .build());
        migrator.upgrade("head");
        Migrator impatient = Migrator.builder(ds).chain(chain).lockTimeout(Duration.ofMillis(300)).build();

        try (Connection reader = ds.getConnection()) {
            reader.setAutoCommit(false);
            try (Statement s = reader.createStatement()) {
                s.executeQuery("SELECT count(*) FROM events").close();
            }
            assertThat(catchThrowableOfType(MigrationLockTimeoutException.class, () -> impatient.upgrade("head"))).isNotNull();
            reader.rollback();
        }

        // The first step (a new table) ran before the blocked ALTER: rolled back with it.
        assertThat(queryLong(ds, "SELECT count(*) FROM pg_class WHERE relname = 'rooms'")).isZero();
        assertThat(queryLong(ds, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'room'")).isZero();
        assertThat(impatient.current()).contains(COMPOSITE);
        assertThat(impatient.upgrade("head").current()).isEqualTo("a1b2c3d4e5f6");
    }

    @Test
    void lockTimeout_isSetWhileTheDdlRuns_andResetAfterwards_soAPooledConnectionGoesBackAsItCame() throws Exception {
        try (Pg.OneConnection pooled = new Pg.OneConnection(ds)) {
            String defaultTimeout = queryString(pooled.real(), "SHOW lock_timeout");
            List<String> seen = new java.util.ArrayList<>();
            Migrator m = Migrator.builder(pooled).lockTimeout(Duration.ofMillis(1500)).listener(new MigrationListener() {
                @Override
                public void afterDdl(Transition t) {
                    seen.add(Pg.queryString(pooled, "SHOW lock_timeout"));
                }
            }).build();

            m.upgrade("head");
            assertThat(seen).containsExactly("1500ms", "1500ms");
            assertThat(queryString(pooled.real(), "SHOW lock_timeout")).isEqualTo(defaultTimeout);

            // Also after a revision that failed.
            try (Connection blocker = ds.getConnection()) {
                blocker.setAutoCommit(false);
                blocker.createStatement().execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
                Migrator impatient = Migrator.builder(pooled).lockTimeout(Duration.ofMillis(200)).build();
                assertThat(catchThrowableOfType(MigrationLockTimeoutException.class, () -> impatient.downgrade("-1"))).isNotNull();
                blocker.rollback();
            }
            assertThat(queryString(pooled.real(), "SHOW lock_timeout")).isEqualTo(defaultTimeout);
            assertThat(pooled.real().getAutoCommit()).isTrue();
        }
    }

    // =================================================================== the advisory lock

    @Test
    void migrationLock_heldByAnotherSession_makesTheMigratorWait_thenApply() throws Exception {
        try (Connection other = ds.getConnection()) {
            other.createStatement().execute("SELECT pg_advisory_lock(" + PostgresMigration.MIGRATION_LOCK_KEY + ")");
            CompletableFuture<MigrationResult> run = CompletableFuture.supplyAsync(() -> migrator.upgrade("head"));

            Thread.sleep(700);
            assertThat(run).isNotDone();
            assertThat(migrator.current()).isEmpty();

            other.createStatement().execute("SELECT pg_advisory_unlock(" + PostgresMigration.MIGRATION_LOCK_KEY + ")");
            assertThat(run.get(60, TimeUnit.SECONDS).transitions()).hasSize(2);
        }
        assertThat(queryLong(ds, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isZero();
    }

    @Test
    void migrationLock_heldLongerThanTheWait_isMigrationLockTimeout_andNothingRuns() throws Exception {
        Migrator impatient = Migrator.builder(ds).migrationLockWait(Duration.ofMillis(300)).build();
        try (Connection other = ds.getConnection()) {
            other.createStatement().execute("SELECT pg_advisory_lock(" + PostgresMigration.MIGRATION_LOCK_KEY + ")");

            MigrationLockTimeoutException e = catchThrowableOfType(MigrationLockTimeoutException.class,
                    () -> impatient.upgrade("head"));
            assertThat(e.getMessage()).contains("another migrator").contains("300 ms");
        }
        assertThat(migrator.current()).isEmpty();
        assertThat(queryLong(ds, "SELECT count(*) FROM pg_class WHERE relname = 'events'")).isZero();
    }

    /**
     * The second migrator waits while the first builds the index concurrently. A second migrator
     * blocked inside {@code pg_advisory_lock} would deadlock with that build (it waits for every
     * transaction holding a snapshot); polling does not.
     */
    @Test
    void twoMigrators_theSecondWaitsOutTheFirstsConcurrentBuild_thenFindsNothingToDo() throws Exception {
        migrator.upgrade("+1");
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch letFirstGo = new CountDownLatch(1);
        Migrator first = Migrator.builder(ds).listener(new MigrationListener() {
            @Override
            public void beforeDdl(Transition t) {
                firstInside.countDown();
                try {
                    letFirstGo.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }).build();

        CompletableFuture<MigrationResult> one = CompletableFuture.supplyAsync(() -> first.upgrade("head"));
        assertThat(firstInside.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<MigrationResult> two = CompletableFuture.supplyAsync(() -> Migrator.create(ds).upgrade("head"));
        Thread.sleep(500);
        assertThat(two).isNotDone();
        assertThat(queryLong(ds, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")).isEqualTo(1);

        letFirstGo.countDown();
        assertThat(one.get(60, TimeUnit.SECONDS).transitions()).extracting(Transition::to).containsExactly(COMPOSITE);
        MigrationResult second = two.get(60, TimeUnit.SECONDS);
        assertThat(second.nothingToDo()).isTrue();
        assertThat(second.current()).isEqualTo(COMPOSITE);
        assertThat(migrator.log()).extracting(LogEntry::revision).containsExactly(INITIAL, COMPOSITE);
    }

    // =================================================================== verify and the catalog

    @Test
    void readIndexes_givesColumnsDirectionsUniquenessAndValidity_withoutThePrimaryKey() throws Exception {
        migrator.upgrade("head");

        Map<String, LiveIndex> live = liveIndexes();
        assertThat(live.keySet()).containsExactlyInAnyOrder(
                "idx_host_event_created", "ix_events_slug", "ix_events_short_code", "ix_events_host_code", "ix_events_id");
        LiveIndex composite = live.get("idx_host_event_created");
        assertThat(composite.columns()).containsExactly(IndexColumn.asc("host_code"), IndexColumn.desc("created_at"));
        assertThat(composite.unique()).isFalse();
        assertThat(composite.valid()).isTrue();
        assertThat(queryString(ds, "SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_host_event_created'"))
                .isEqualTo("CREATE INDEX idx_host_event_created ON public.events USING btree (host_code, created_at DESC)");
    }

    @Test
    void verify_anAscendingIndexBuiltByHand_isDrift_andUpgradeRefusesToRecordIt() throws Exception {
        migrator.upgrade("+1");
        execute(ds, "CREATE INDEX idx_host_event_created ON events (host_code, created_at)");

        SchemaDriftException refused = catchThrowableOfType(SchemaDriftException.class, () -> migrator.upgrade("head"));
        assertThat(refused.getMessage()).contains("created_at ASC").contains("created_at DESC");
        assertThat(migrator.current()).contains(INITIAL);

        migrator.stamp("head");
        VerifyReport report = migrator.verify();
        assertThat(report.drift()).singleElement().asString()
                .isEqualTo("index idx_host_event_created is [host_code ASC, created_at ASC], expected [host_code ASC, created_at DESC]");
    }

    @Test
    void verify_aUniqueIndexByTheSameName_isDrift() throws Exception {
        migrator.upgrade("+1");
        execute(ds, "CREATE UNIQUE INDEX idx_host_event_created ON events (host_code, created_at DESC)");
        migrator.stamp("head");

        assertThat(migrator.verify().drift()).singleElement().asString()
                .contains("unique [host_code ASC, created_at DESC]");
    }

    @Test
    void verify_anIndexWithAnExpressionColumn_isDrift() throws Exception {
        migrator.upgrade("+1");
        execute(ds, "CREATE INDEX idx_host_event_created ON events (lower(host_code), created_at DESC)");
        migrator.stamp("head");

        assertThat(migrator.verify().drift()).singleElement().asString().contains("lower(host_code::text) ASC");
    }
}
