package dev.hostevents.dialect.mysql;

import static dev.hostevents.migration.HostEventsRevisions.IDX_HOST_EVENT_CREATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hostevents.EventStore;
import dev.hostevents.migration.MigrationLockTimeoutException;
import dev.hostevents.NewEvent;
import dev.hostevents.migration.HostEventsRevisions;
import dev.hostevents.migration.LogEntry;
import dev.hostevents.migration.MigrationListener;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.Transition;
import dev.hostevents.migration.VerifyReport;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.Dialects;
import dev.hostevents.spi.IndexColumn;
import dev.hostevents.spi.LiveIndex;
import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import dev.hostevents.testing.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbPoolDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Migrations on a server whose DDL is not transactional: repair after a crash, the {@code GET_LOCK}
 * migration lock, the DDL lock timeout, and {@code verify} after a server upgrade.
 */
class MySqlMigrationTest {
    static Stream<MariaDbServer> servers() {
        return Stream.of(MariaDbServer.NEW, MariaDbServer.OLD);
    }

    private static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> upgradesOf(Migrator migrator, String revision) {
        return migrator.log().stream().filter(e -> e.direction().equals("upgrade") && e.revision().equals(revision))
                .map(LogEntry::revision).toList();
    }

    private static LiveIndex composite(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return Dialects.forConnection(c).schema().readIndexes(c, "events").stream().filter(i -> i.name().equals("idx_host_event_created"))
                    .findFirst().orElseThrow();
        }
    }

    // ------------------------------------------------------------------ crash repair

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void compositeIndexBuiltButVersionNotRecorded_nextUpgradeRecordsItOnce_withoutRebuilding(MariaDbServer server) throws SQLException {
        DataSource ds = server.newDatabase();
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("+1");
        Dialect dialect = server.dialect();
        // The crash: the DDL of c1b85c454f94 ran (it commits at once on MySQL), the version update did not.
        RenderContext ctx = RenderContext.of(dialect);
        for (RenderedStatement s : dialect.schema().createIndex(dialect.schema().expectedIndex(IDX_HOST_EVENT_CREATED), false, ctx)) {
            execute(ds, s.sql());
        }
        assertThat(migrator.current()).contains("9372cec8298d");

        MigrationResult repaired = migrator.upgrade("head");

        assertThat(repaired.transitions()).extracting(Transition::to).containsExactly("c1b85c454f94");
        assertThat(migrator.current()).contains("c1b85c454f94");
        assertThat(upgradesOf(migrator, "c1b85c454f94")).hasSize(1);
        // Recorded as built by design even though this run found it built (the note is what verify relies on later).
        assertThat(migrator.log().get(1).note()).isEqualTo(dialect.schema().buildNote(IDX_HOST_EVENT_CREATED));
        assertThat(migrator.verify().drift()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void initialSchemaHalfApplied_nextUpgradeCreatesOnlyWhatIsMissing(MariaDbServer server) throws SQLException {
        DataSource ds = server.newDatabase();
        Dialect dialect = server.dialect();
        RenderContext ctx = RenderContext.of(dialect);
        // A crash in the middle of 9372cec8298d: the table and two of its four indexes exist.
        for (RenderedStatement s : dialect.schema().createEventsTable(ctx)) {
            execute(ds, s.sql());
        }
        for (RenderedStatement s : dialect.schema().createIndex(HostEventsRevisions.IX_EVENTS_ID, true, ctx)) {
            execute(ds, s.sql());
        }
        for (RenderedStatement s : dialect.schema().createIndex(HostEventsRevisions.IX_EVENTS_HOST_CODE, true, ctx)) {
            execute(ds, s.sql());
        }
        Migrator migrator = Migrator.create(ds);

        migrator.upgrade("head");

        assertThat(migrator.current()).contains("c1b85c454f94");
        assertThat(migrator.log()).extracting(LogEntry::revision).containsExactly("9372cec8298d", "c1b85c454f94");
        assertThat(migrator.verify().drift()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void crashAfterTheDdl_leavesTheIndexBuilt_andTheRunAfterFinishesIt(MariaDbServer server) throws SQLException {
        DataSource ds = server.newDatabase();
        Migrator.create(ds).upgrade("+1");
        Migrator crashing = Migrator.builder(ds).listener(new MigrationListener() {
            @Override
            public void afterDdl(Transition t) {
                throw new IllegalStateException("simulated crash");
            }
        }).build();

        assertThat(catchThrowableOfType(IllegalStateException.class, () -> crashing.upgrade("head"))).isNotNull();
        // No transactional DDL: the index stayed although the revision was not recorded.
        assertThat(composite(ds).columns()).extracting(IndexColumn::name).containsExactly("host_code", "created_at");
        assertThat(Migrator.create(ds).current()).contains("9372cec8298d");

        Migrator.create(ds).upgrade("head");
        assertThat(upgradesOf(Migrator.create(ds), "c1b85c454f94")).hasSize(1);
        assertThat(Migrator.create(ds).verify().drift()).isEmpty();
    }

    // ------------------------------------------------------------------ locks

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void getLockHeldElsewhere_migratorTimesOut_touchesNothing_thenRunsOnceReleased(MariaDbServer server) throws Exception {
        String database = server.newDatabaseName();
        DataSource ds = server.dataSource(database, MariaDbServer.Driver.MARIADB);
        DataSource other = server.newDatabase();
        String lockName = "hostevents_migration:" + database;
        try (Connection holder = ds.getConnection()) {
            assertThat(lockResult(holder, "SELECT GET_LOCK(?, 0)", lockName)).isEqualTo(1);

            Migrator waiting = Migrator.builder(ds).migrationLockWait(Duration.ofSeconds(1)).build();
            MigrationLockTimeoutException e = catchThrowableOfType(MigrationLockTimeoutException.class, () -> waiting.upgrade("head"));
            assertThat(e).hasMessageContaining("migration lock");
            assertThat(waiting.current()).isEmpty();
            assertThat(tableExists(ds, "events")).isFalse();
            // The lock is per schema: a migrator of another database on the same server does not wait.
            assertThat(Migrator.builder(other).migrationLockWait(Duration.ofSeconds(1)).build().upgrade("head").current())
                    .isEqualTo("c1b85c454f94");

            assertThat(lockResult(holder, "SELECT RELEASE_LOCK(?)", lockName)).isEqualTo(1);
        }
        List<Object> heldDuringDdl = new ArrayList<>();
        Migrator migrator = Migrator.builder(ds).listener(new MigrationListener() {
            @Override
            public void beforeDdl(Transition t) {
                try (Connection probe = ds.getConnection()) {
                    heldDuringDdl.add(lockResult(probe, "SELECT IS_USED_LOCK(?) IS NOT NULL", lockName));
                } catch (SQLException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }).build();
        assertThat(migrator.upgrade("head").current()).isEqualTo("c1b85c454f94");
        assertThat(heldDuringDdl).containsExactly(1L, 1L);
        try (Connection probe = ds.getConnection()) {
            assertThat(lockResult(probe, "SELECT IS_FREE_LOCK(?)", lockName)).isEqualTo(1);
        }
    }

    private static long lockResult(Connection c, String sql, String lockName) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, lockName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static boolean tableExists(DataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return Dialects.forConnection(c).schema().tableExists(c, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void ddlBehindAnOpenTransaction_givesUpAfterTheLockTimeout_andNothingIsRecorded(MariaDbServer server) throws SQLException {
        DataSource ds = server.newDatabase();
        Migrator.create(ds).upgrade("+1");
        Migrator impatient = Migrator.builder(ds).lockTimeout(Duration.ofSeconds(1)).build();
        try (Connection reader = ds.getConnection()) {
            // An open transaction that read the table holds a metadata lock CREATE INDEX must wait for.
            reader.setAutoCommit(false);
            reader.createStatement().executeQuery("SELECT COUNT(*) FROM events").close();

            MigrationLockTimeoutException e = catchThrowableOfType(MigrationLockTimeoutException.class, () -> impatient.upgrade("head"));
            assertThat(e).hasMessageContaining("lock timeout");
            assertThat(Migrator.create(ds).current()).contains("9372cec8298d");
            reader.rollback();
        }
        assertThat(impatient.upgrade("head").current()).isEqualTo("c1b85c454f94");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aPooledMigrationConnection_goesBackWithTheServersLockWaitTimeout(MariaDbServer server) throws SQLException {
        String database = server.newDatabaseName();
        try (MariaDbPoolDataSource pool = new MariaDbPoolDataSource(
                server.url(database, MariaDbServer.Driver.MARIADB, "maxPoolSize=1", "minPoolSize=1"))) {
            long serverDefault;
            try (Connection c = pool.getConnection()) {
                serverDefault = Long.parseLong(Fixtures.rows(c, "SELECT @@global.lock_wait_timeout AS t").get(0).get("t"));
            }
            Migrator.builder(pool).lockTimeout(Duration.ofSeconds(3)).build().upgrade("head");

            try (Connection sameConnection = pool.getConnection()) {
                assertThat(Fixtures.rows(sameConnection, "SELECT @@session.lock_wait_timeout AS t").get(0).get("t"))
                        .isEqualTo(Long.toString(serverDefault));
            }
        }
    }

    // ------------------------------------------------------------------ verify after a server upgrade

    /**
     * A database migrated on the old server, dumped and restored onto the new one (the definitions as
     * {@code SHOW CREATE TABLE} prints them on 10.2, the log rows as they are): the index is still
     * ascending. The log says it was built that way by design, so {@code verify} reports advice, not
     * drift; following the advice gives the descending index.
     */
    @Test
    void databaseMovedFromAnOldToANewServer_ascendingByDesignIsAdvice_notDrift_andRebuildingMakesItDescending() throws SQLException {
        DataSource old = MariaDbServer.OLD.newDatabase();
        Migrator.create(old).upgrade("head");
        DataSource upgraded = MariaDbServer.NEW.newDatabase();
        Fixtures.copyTables(old, upgraded, "alembic_version", "hostevents_migration_log", "events");
        Migrator migrator = Migrator.create(upgraded);
        assertThat(composite(upgraded).columns()).containsExactly(IndexColumn.asc("host_code"), IndexColumn.asc("created_at"));

        VerifyReport report = migrator.verify();

        assertThat(report.drift()).isEmpty();
        assertThat(report.advice()).singleElement().asString()
                .contains("idx_host_event_created").contains("can now be rebuilt descending")
                .contains("CREATE INDEX idx_host_event_created ON events(host_code, created_at DESC)");
        // What the advice warns about: until the rebuild, this server's page order sorts.
        MutableClock clock = new MutableClock(Fixtures.T0);
        EventStore store = EventStore.builder(upgraded).clock(clock).build();
        Fixtures.seed(upgraded, store, clock, 200);
        assertThat(store.diagnostics().explainFindByHost(Fixtures.BIG_HOST, 10, 0).sorts()).isTrue();

        migrator.downgrade("-1");
        migrator.upgrade("head");

        assertThat(composite(upgraded).columns()).containsExactly(IndexColumn.asc("host_code"), IndexColumn.desc("created_at"));
        assertThat(migrator.verify().drift()).isEmpty();
        assertThat(migrator.verify().advice()).isEmpty();
        assertThat(store.diagnostics().explainFindByHost(Fixtures.BIG_HOST, 10, 0).ok()).isTrue();
    }

    @Test
    void anAscendingCompositeIndexOnANewServer_withoutTheLogsWord_isDrift() throws SQLException {
        DataSource ds = MariaDbServer.NEW.newDatabase();
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("head");
        execute(ds, "DROP INDEX idx_host_event_created ON events");
        execute(ds, "CREATE INDEX idx_host_event_created ON events (host_code, created_at)");

        VerifyReport report = migrator.verify();

        assertThat(report.drift()).singleElement().asString().contains("idx_host_event_created")
                .contains("expected [host_code ASC, created_at DESC]");
        assertThat(report.advice()).isEmpty();
        store(ds).create(NewEvent.titled("still works").withHostCode(Fixtures.BIG_HOST));
    }

    private static EventStore store(DataSource ds) {
        return EventStore.builder(ds).clock(new MutableClock(Fixtures.T0)).build();
    }
}
