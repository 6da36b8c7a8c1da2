package dev.hostevents.dialect.sqlite;

import static dev.hostevents.dialect.sqlite.AlembicMadeDatabase.HOST_A;
import static dev.hostevents.dialect.sqlite.AlembicMadeDatabase.HOST_A_NEWEST_FIRST;
import static dev.hostevents.dialect.sqlite.AlembicMadeDatabase.HOST_B;
import static dev.hostevents.dialect.sqlite.Pragmas.rows;
import static dev.hostevents.dialect.sqlite.SqliteSchemaParityTest.INITIAL_INDEX_LIST;
import static dev.hostevents.dialect.sqlite.SqliteSchemaParityTest.REFERENCE_INDEX_LIST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.HostEventsException;
import dev.hostevents.NewEvent;
import dev.hostevents.Page;
import dev.hostevents.PageRequest;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.Transition;
import dev.hostevents.testing.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database made by the original Python app with SQLAlchemy and Alembic is opened as it is: the
 * revision is recognised, only the composite index is added or removed, its rows are read in the right
 * order, and Alembic can carry on afterwards.
 */
class SqliteExistingDatabaseTest {
    @TempDir
    Path directory;
    SqliteTestFiles files;

    @BeforeEach
    void files() {
        files = new SqliteTestFiles(directory);
    }

    private DataSource alembicMade(boolean withCompositeIndex) {
        DataSource ds = files.newDatabase();
        AlembicMadeDatabase.build(ds, withCompositeIndex);
        return ds;
    }

    @Test
    void at9372_currentReportsIt_andVerifyIsClean() {
        DataSource ds = alembicMade(false);
        Migrator migrator = Migrator.create(ds);

        assertThat(migrator.current()).contains("9372cec8298d");
        assertThat(migrator.verify().drift()).isEmpty();
        assertThat(migrator.verify().revision()).isEqualTo("9372cec8298d");
    }

    @Test
    void at9372_upgradeHead_addsOnlyTheIndex_andKeepsEveryRow() {
        DataSource ds = alembicMade(false);
        List<String> rowsBefore = AlembicMadeDatabase.dump(ds);
        List<String> tableAndIndexesBefore = rows(ds, "SELECT type, name, sql FROM sqlite_master ORDER BY name");
        Migrator migrator = Migrator.create(ds);

        MigrationResult result = migrator.upgrade("head");

        assertThat(result.transitions()).extracting(Transition::alembicLine)
                .containsExactly("Running upgrade 9372cec8298d -> c1b85c454f94, add_composite_index_host_code_created_at");
        assertThat(rows(ds, "PRAGMA index_list('events')")).containsExactlyElementsOf(REFERENCE_INDEX_LIST);
        assertThat(rows(ds, "PRAGMA index_info('idx_host_event_created')")).containsExactly("0|5|host_code", "1|6|created_at");
        // Everything that was there is there, byte for byte; the new things are the index and our log table.
        List<String> after = rows(ds, "SELECT type, name, sql FROM sqlite_master ORDER BY name");
        assertThat(after).containsAll(tableAndIndexesBefore);
        assertThat(after).filteredOn(r -> !tableAndIndexesBefore.contains(r))
                .extracting(r -> r.split("\\|")[1])
                .containsExactlyInAnyOrder("idx_host_event_created", "hostevents_migration_log");
        assertThat(AlembicMadeDatabase.dump(ds)).isEqualTo(rowsBefore);
        assertThat(migrator.current()).contains("c1b85c454f94");
        assertThat(migrator.verify().drift()).isEmpty();
    }

    @Test
    void findByHost_returnsTheAppsRowsNewestFirst_withTimestampsNormalised_beforeAndAfterTheUpgrade() {
        DataSource ds = alembicMade(false);
        EventStore store = EventStore.create(ds);

        assertThat(store.findByHost(HOST_A, 10, 0)).extracting(Event::id).containsExactlyElementsOf(HOST_A_NEWEST_FIRST);
        Migrator.create(ds).upgrade("head");
        List<Event> page = store.findByHost(HOST_A, 10, 0);
        assertThat(page).extracting(Event::id).containsExactlyElementsOf(HOST_A_NEWEST_FIRST);
        assertThat(page.get(0).createdAt()).isEqualTo(Instant.parse("2025-10-09T08:00:00Z"));
        assertThat(page.get(0).active()).isFalse();
        assertThat(page.get(1).createdAt()).isEqualTo(Instant.parse("2025-10-08T20:52:27.123456Z"));
        assertThat(page.get(4).createdAt()).isEqualTo(Instant.parse("2025-10-02T17:30:00Z"));
        assertThat(page.get(4).description()).isEqualTo("What went well");
        assertThat(store.findByHost(HOST_B, 10, 0)).extracting(Event::id).containsExactly(5L);
        assertThat(store.countByHost(HOST_A)).isEqualTo(6);
        assertThat(store.findBySlug("town-hall")).get().extracting(Event::id).isEqualTo(3L);

        List<Long> byKeyset = new ArrayList<>();
        Page p = store.findByHost(HOST_A, PageRequest.first(2));
        byKeyset.addAll(p.events().stream().map(Event::id).toList());
        while (p.hasNext()) {
            p = store.findByHost(HOST_A, PageRequest.after(p.nextCursor().orElseThrow(), 2));
            byKeyset.addAll(p.events().stream().map(Event::id).toList());
        }
        assertThat(byKeyset).containsExactlyElementsOf(HOST_A_NEWEST_FIRST);
    }

    @Test
    void anEventCreatedByTheLibrary_isStoredInSqlalchemysTextForm_andSortsAmongTheAppsRows() {
        DataSource ds = alembicMade(false);
        Migrator.create(ds).upgrade("head");
        MutableClock clock = new MutableClock(Instant.parse("2025-10-08T21:00:00Z"));
        EventStore store = EventStore.builder(ds).clock(clock).build();

        Event created = store.create(NewEvent.titled("Added later").withHostCode(HOST_A));

        assertThat(created.id()).isEqualTo(8);
        assertThat(rows(ds, "SELECT created_at, typeof(created_at), is_active FROM events WHERE id = 8"))
                .containsExactly("2025-10-08 21:00:00.000000|text|1");
        assertThat(store.findByHost(HOST_A, 10, 0)).extracting(Event::id).containsExactly(6L, 8L, 3L, 4L, 7L, 2L, 1L);
    }

    @Test
    void upgradeThenDowngrade_removesOnlyTheIndex_andAlembicVersionKeepsAlembicsShape() {
        DataSource ds = alembicMade(false);
        List<String> rowsBefore = AlembicMadeDatabase.dump(ds);
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("head");

        MigrationResult down = migrator.downgrade("-1");

        assertThat(down.transitions()).extracting(Transition::alembicLine)
                .containsExactly("Running downgrade c1b85c454f94 -> 9372cec8298d, add_composite_index_host_code_created_at");
        assertThat(rows(ds, "PRAGMA index_list('events')")).containsExactlyElementsOf(INITIAL_INDEX_LIST);
        assertThat(rows(ds, "SELECT sql FROM sqlite_master WHERE name = 'events'")).containsExactly(AlembicMadeDatabase.EVENTS_DDL);
        assertThat(rows(ds, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_events_%' ORDER BY rootpage"))
                .containsExactlyElementsOf(AlembicMadeDatabase.INITIAL_INDEXES);
        assertThat(AlembicMadeDatabase.dump(ds)).isEqualTo(rowsBefore);
        assertAlembicVersionAsAlembicMadeIt(ds, "9372cec8298d");
    }

    @Test
    void afterOurUpgrade_alembicCanCarryOn_downgradingAndUpgradingWithItsOwnSql() {
        DataSource ds = alembicMade(false);
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("head");
        assertAlembicVersionAsAlembicMadeIt(ds, "c1b85c454f94");

        // Alembic's own downgrade: it finds its index by name and its version where it left it.
        Pragmas.execute(ds, AlembicMadeDatabase.ALEMBIC_DOWNGRADE_C1B8.toArray(String[]::new));
        assertThat(migrator.current()).contains("9372cec8298d");
        assertThat(rows(ds, "PRAGMA index_list('events')")).containsExactlyElementsOf(INITIAL_INDEX_LIST);
        assertThat(migrator.verify().drift()).isEmpty();

        // Alembic's upgrade builds an index we accept as ours.
        Pragmas.execute(ds, AlembicMadeDatabase.ALEMBIC_UPGRADE_C1B8.toArray(String[]::new));
        assertThat(migrator.current()).contains("c1b85c454f94");
        assertThat(migrator.verify().drift()).isEmpty();
        assertThat(migrator.upgrade("head").nothingToDo()).isTrue();
    }

    @Test
    void ourCompositeIndex_isDefinedExactlyAsAlembicDefinesIt() {
        DataSource ours = alembicMade(false);
        Migrator.create(ours).upgrade("head");
        DataSource theirs = alembicMade(true);

        String xinfo = "PRAGMA index_xinfo('idx_host_event_created')";
        assertThat(rows(ours, xinfo)).isEqualTo(rows(theirs, xinfo));
        assertThat(rows(ours, "PRAGMA index_list('events')")).isEqualTo(rows(theirs, "PRAGMA index_list('events')"));
    }

    @Test
    void atC1b8_currentReportsIt_upgradeHasNothingToDo_downgradeRemovesOnlyTheIndex() {
        DataSource ds = alembicMade(true);
        List<String> rowsBefore = AlembicMadeDatabase.dump(ds);
        Migrator migrator = Migrator.create(ds);

        assertThat(migrator.current()).contains("c1b85c454f94");
        assertThat(migrator.verify().drift()).isEmpty();
        assertThat(migrator.upgrade("head").nothingToDo()).isTrue();
        assertThat(rows(ds, "PRAGMA index_list('events')")).containsExactlyElementsOf(REFERENCE_INDEX_LIST);
        EventStore store = EventStore.create(ds);
        assertThat(store.findByHost(HOST_A, 10, 0)).extracting(Event::id).containsExactlyElementsOf(HOST_A_NEWEST_FIRST);
        assertThat(store.diagnostics().explainFindByHost(HOST_A, 10, 0).ok()).isTrue();

        migrator.downgrade("-1");
        assertThat(migrator.current()).contains("9372cec8298d");
        assertThat(rows(ds, "PRAGMA index_list('events')")).containsExactlyElementsOf(INITIAL_INDEX_LIST);
        assertThat(AlembicMadeDatabase.dump(ds)).isEqualTo(rowsBefore);
        assertAlembicVersionAsAlembicMadeIt(ds, "9372cec8298d");
    }

    @Test
    void aRowWhoseCreatedAtCannotBeRead_isAnErrorNamingTheRowId_notTheHostCode() {
        DataSource ds = alembicMade(true);
        Pragmas.execute(ds, "UPDATE events SET created_at = 'last tuesday' WHERE id = 7");
        EventStore store = EventStore.create(ds);

        HostEventsException e = catchThrowableOfType(HostEventsException.class, () -> store.findByHost(HOST_A, 10, 0));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("row id 7").contains("'last tuesday'")
                .doesNotContain(HOST_A).doesNotContain("aaaaaaaa0001");
    }

    @Test
    void shorterFormsAPersonWrote_areReadAndNormalised() {
        DataSource ds = alembicMade(true);
        Pragmas.execute(ds, "UPDATE events SET created_at = '2025-10-03T10:15:42.5Z' WHERE id = 7");
        EventStore store = EventStore.create(ds);

        assertThat(store.findByHost(HOST_A, 10, 0)).filteredOn(e -> e.id() == 7).singleElement()
                .extracting(Event::createdAt).isEqualTo(Instant.parse("2025-10-03T10:15:42.500Z"));
    }

    @Test
    void jooqUsers_readCreatedAtWithTheConverter() throws Exception {
        DataSource ds = alembicMade(true);
        Field<Instant> createdAt = DSL.field(DSL.name("created_at"), SQLDataType.VARCHAR.asConvertedDataType(SqliteTimestampConverter.INSTANCE));
        try (Connection c = ds.getConnection()) {
            DSLContext dsl = DSL.using(c, SQLDialect.SQLITE);
            List<Instant> values = dsl.select(createdAt).from(DSL.table(DSL.name("events")))
                    .where(DSL.field(DSL.name("id")).in(2, 3)).orderBy(DSL.field(DSL.name("id"))).fetch(createdAt);
            assertThat(values).containsExactly(Instant.parse("2025-10-02T17:30:00Z"), Instant.parse("2025-10-08T20:52:27.123456Z"));
        }
    }

    private static void assertAlembicVersionAsAlembicMadeIt(DataSource ds, String revision) {
        assertThat(rows(ds, "SELECT sql FROM sqlite_master WHERE name = 'alembic_version'"))
                .containsExactly(AlembicMadeDatabase.ALEMBIC_VERSION_DDL);
        assertThat(rows(ds, "PRAGMA table_info('alembic_version')")).containsExactly("0|version_num|VARCHAR(32)|1||1");
        assertThat(rows(ds, "PRAGMA index_list('alembic_version')")).containsExactly("0|sqlite_autoindex_alembic_version_1|1|pk|0");
        assertThat(rows(ds, "SELECT version_num FROM alembic_version")).containsExactly(revision);
    }
}
