package dev.hostevents.testing;

import static dev.hostevents.migration.HostEventsRevisions.IDX_HOST_EVENT_CREATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.atIndex;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hostevents.DatabaseAccessException;
import dev.hostevents.migration.DataLossRefusedException;
import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.HostCodes;
import dev.hostevents.NewEvent;
import dev.hostevents.Page;
import dev.hostevents.PageRequest;
import dev.hostevents.SchemaNotMigratedException;
import dev.hostevents.migration.UnknownRevisionException;
import dev.hostevents.ValidationException;
import dev.hostevents.migration.CreateIndexStep;
import dev.hostevents.migration.DropIndexStep;
import dev.hostevents.migration.HostEventsRevisions;
import dev.hostevents.migration.LogEntry;
import dev.hostevents.migration.MigrationListener;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.Revision;
import dev.hostevents.migration.RevisionChain;
import dev.hostevents.migration.Transition;
import dev.hostevents.migration.VerifyReport;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.IndexColumn;
import dev.hostevents.spi.IndexSpec;
import dev.hostevents.spi.LiveIndex;
import dev.hostevents.spi.PlanReport;
import dev.hostevents.spi.ServerInfo;
import dev.hostevents.spi.TieBreak;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every dialect must have, run against a real database. A dialect module extends this
 * class, supplies {@link #database()}, and adds tests only for its own quirks.
 *
 * <p>Each test gets a fresh, empty database.
 */
public abstract class DialectContract {
    /** Base of the test clock: 2025-10-08T20:52:27.123456Z (microseconds matter). */
    protected static final Instant T0 = Instant.parse("2025-10-08T20:52:27.123456Z");
    protected static final String HOST_A = "host_aaaaaaaa0001";
    protected static final String HOST_B = "host_bbbbbbbb0002";
    private static final List<String> BUILT_IN_INDEXES =
            List.of("idx_host_event_created", "ix_events_slug", "ix_events_short_code", "ix_events_host_code", "ix_events_id");

    protected DataSource ds;
    protected Migrator migrator;
    protected MutableClock clock;

    /** The database under test. */
    protected abstract TestDatabase database();

    /**
     * Called after rows were added and before a plan is checked: PostgreSQL needs {@code ANALYZE} so
     * its planner knows the table is not tiny.
     */
    protected void refreshStatistics(DataSource dataSource) throws SQLException {
    }

    @BeforeEach
    void freshDatabase() {
        ds = database().newDatabase();
        migrator = Migrator.create(ds);
        clock = new MutableClock(T0);
    }

    /** Upgrades to head and returns a store on the test clock. */
    protected EventStore store() {
        migrator.upgrade("head");
        return EventStore.builder(ds).clock(clock).build();
    }

    protected Dialect dialect() {
        try (Connection c = ds.getConnection()) {
            return dev.hostevents.spi.Dialects.forConnection(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    protected ServerInfo server() {
        return dialect().server();
    }

    protected Map<String, LiveIndex> liveIndexes() {
        try (Connection c = ds.getConnection()) {
            return dialect().schema().readIndexes(c, "events").stream()
                    .collect(Collectors.toMap(LiveIndex::name, Function.identity()));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    protected void execute(String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    protected long queryLong(String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // =================================================================== migrations

    @Test
    void build_onAnUnmigratedDatabase_failsNow_sayingBaseAndUpgrade() {
        assertThatThrownBy(() -> EventStore.builder(ds).clock(clock).build())
                .isInstanceOf(SchemaNotMigratedException.class)
                .hasMessage("the events table is not there (database at revision base); run upgrade first");
    }

    @Test
    void build_onAStampedDatabaseWithoutTheTable_namesTheRecordedRevision() {
        migrator.stamp("9372cec8298d");

        SchemaNotMigratedException e = catchThrowableOfType(
                SchemaNotMigratedException.class, () -> EventStore.builder(ds).clock(clock).build());
        assertThat(e.revision()).isEqualTo("9372cec8298d");
        assertThat(e).hasMessageContaining("database at revision 9372cec8298d").hasMessageContaining("run upgrade first");
    }

    @Test
    void upgradeHead_createsTheTableAndExactlyTheFiveIndexes_andVerifyIsClean() {
        MigrationResult result = migrator.upgrade("head");

        assertThat(result.transitions()).extracting(Transition::alembicLine).containsExactly(
                "Running upgrade  -> 9372cec8298d, Initial schema",
                "Running upgrade 9372cec8298d -> c1b85c454f94, add_composite_index_host_code_created_at");
        assertThat(migrator.current()).contains("c1b85c454f94");
        assertThat(liveIndexes().keySet()).containsExactlyInAnyOrderElementsOf(BUILT_IN_INDEXES);
        assertThat(liveIndexes().get("ix_events_slug").unique()).isTrue();
        assertThat(liveIndexes().get("ix_events_short_code").unique()).isTrue();
        assertThat(liveIndexes().get("ix_events_host_code").unique()).isFalse();
        VerifyReport report = migrator.verify();
        assertThat(report.drift()).isEmpty();
        assertThat(report.revision()).isEqualTo("c1b85c454f94");
    }

    @Test
    void compositeIndex_readBack_isHostCodeThenCreatedAt_inTheDirectionThisServerBuilds() {
        migrator.upgrade("head");
        LiveIndex index = liveIndexes().get("idx_host_event_created");
        IndexSpec expected = dialect().schema().expectedIndex(IDX_HOST_EVENT_CREATED);

        assertThat(index.unique()).isFalse();
        assertThat(index.valid()).isTrue();
        assertThat(index.columns()).containsExactlyElementsOf(expected.columns());
        assertThat(index.columns()).extracting(IndexColumn::name).containsExactly("host_code", "created_at");
        assertThat(index.columns().get(0).descending()).isFalse();
        assertThat(index.columns().get(1).descending()).isEqualTo(serverKeepsDescendingIndexes());
    }

    /** True when the server builds {@code DESC} index columns (false only on old MySQL/MariaDB). */
    protected boolean serverKeepsDescendingIndexes() {
        return true;
    }

    @Test
    void downgradeOne_dropsOnlyTheCompositeIndex_andUpgradeRestoresIt() {
        migrator.upgrade("head");

        MigrationResult down = migrator.downgrade("-1");
        assertThat(down.transitions()).extracting(Transition::alembicLine)
                .containsExactly("Running downgrade c1b85c454f94 -> 9372cec8298d, add_composite_index_host_code_created_at");
        assertThat(migrator.current()).contains("9372cec8298d");
        assertThat(liveIndexes().keySet()).containsExactlyInAnyOrderElementsOf(BUILT_IN_INDEXES.subList(1, 5));
        assertThat(migrator.verify().drift()).isEmpty();

        MigrationResult up = migrator.upgrade("head");
        assertThat(up.transitions()).extracting(Transition::alembicLine)
                .containsExactly("Running upgrade 9372cec8298d -> c1b85c454f94, add_composite_index_host_code_created_at");
        assertThat(liveIndexes().keySet()).containsExactlyInAnyOrderElementsOf(BUILT_IN_INDEXES);
        assertThat(migrator.verify().drift()).isEmpty();
    }

    @Test
    void current_isEmptyOnANewDatabase_andUpgradeTwiceHasNothingToDo() {
        assertThat(migrator.current()).isEmpty();
        migrator.upgrade("+1");
        assertThat(migrator.current()).contains("9372cec8298d");
        migrator.upgrade("head");
        MigrationResult again = migrator.upgrade("head");
        assertThat(again.nothingToDo()).isTrue();
        assertThat(again.current()).isEqualTo("c1b85c454f94");
    }

    @Test
    void migrationLog_recordsEachRevisionOnce_withTheChecksumOfTheSqlThatRan() {
        migrator.upgrade("head");
        migrator.downgrade("-1");
        migrator.upgrade("head");

        List<LogEntry> log = migrator.log();
        assertThat(log).extracting(LogEntry::direction, LogEntry::revision).containsExactly(
                org.assertj.core.groups.Tuple.tuple("upgrade", "9372cec8298d"),
                org.assertj.core.groups.Tuple.tuple("upgrade", "c1b85c454f94"),
                org.assertj.core.groups.Tuple.tuple("downgrade", "c1b85c454f94"),
                org.assertj.core.groups.Tuple.tuple("upgrade", "c1b85c454f94"));
        assertThat(log).allSatisfy(e -> assertThat(e.checksum()).matches("[0-9a-f]{64}"));
        // Same SQL, same checksum: the re-applied revision ran exactly what the first run did.
        assertThat(log.get(3).checksum()).isEqualTo(log.get(1).checksum());
        assertThat(log.get(2).checksum()).isNotEqualTo(log.get(1).checksum());
    }

    @Test
    void unknownRevisionInTheVersionTable_isRefused_andNothingIsTouched() {
        migrator.upgrade("+1");
        execute("UPDATE alembic_version SET version_num = 'ffffffffffff'");

        UnknownRevisionException e = catchThrowableOfType(UnknownRevisionException.class, () -> migrator.upgrade("head"));
        assertThat(e.revision()).isEqualTo("ffffffffffff");
        assertThat(e.getMessage()).contains("ffffffffffff").contains("Nothing was changed");
        assertThat(liveIndexes()).doesNotContainKey("idx_host_event_created");
        assertThat(queryLong("SELECT COUNT(*) FROM alembic_version WHERE version_num = 'ffffffffffff'")).isEqualTo(1);
        assertThatThrownBy(() -> migrator.current()).isInstanceOf(UnknownRevisionException.class);
    }

    @Test
    void downgradeToBase_refusesWithoutTheDataLossFlag_namingTheRowCount_thenDropsWithIt() {
        EventStore store = store();
        store.create(NewEvent.titled("One").withHostCode(HOST_A));
        store.create(NewEvent.titled("Two").withHostCode(HOST_A));

        DataLossRefusedException e = catchThrowableOfType(DataLossRefusedException.class, () -> migrator.downgrade("base"));
        assertThat(e.rows()).isEqualTo(2);
        assertThat(e.getMessage()).contains("2 row(s)");
        // The refusal happened before anything ran: still at head, rows intact.
        assertThat(migrator.current()).contains("c1b85c454f94");
        assertThat(store.countByHost(HOST_A)).isEqualTo(2);

        migrator.downgrade("base", true);
        assertThat(migrator.current()).isEmpty();
        try (Connection c = ds.getConnection()) {
            assertThat(dialect().schema().tableExists(c, "events")).isFalse();
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void twoMigratorsAtOnce_oneAppliesEachRevision_theOtherFindsNothingToDo() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<MigrationResult>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return Migrator.create(ds).upgrade("head");
                }));
            }
            start.countDown();
            List<Transition> all = new ArrayList<>();
            for (Future<MigrationResult> run : runs) {
                all.addAll(run.get(120, TimeUnit.SECONDS).transitions());
            }
            assertThat(all).extracting(Transition::to).containsExactlyInAnyOrder("9372cec8298d", "c1b85c454f94");
            assertThat(migrator.log()).extracting(LogEntry::revision).containsExactly("9372cec8298d", "c1b85c454f94");
            assertThat(migrator.verify().drift()).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRunInterruptedAfterTheDdl_beforeTheVersionUpdate_isCompletedByTheNextRun_andAppliedOnce() {
        migrator.upgrade("+1");
        Migrator crashing = Migrator.builder(ds).listener(new MigrationListener() {
            @Override
            public void afterDdl(Transition t) {
                throw new IllegalStateException("simulated crash after DDL of " + t.to());
            }
        }).build();

        assertThatThrownBy(() -> crashing.upgrade("head")).hasMessageContaining("simulated crash");
        assertThat(migrator.current()).contains("9372cec8298d");

        MigrationResult repaired = migrator.upgrade("head");
        assertThat(repaired.transitions()).extracting(Transition::to).containsExactly("c1b85c454f94");
        assertThat(migrator.current()).contains("c1b85c454f94");
        assertThat(migrator.log()).extracting(LogEntry::revision).containsExactly("9372cec8298d", "c1b85c454f94");
        assertThat(migrator.verify().drift()).isEmpty();
    }

    @Test
    void verify_reportsAMissingCompositeIndexAsDrift() {
        migrator.upgrade("head");
        Dialect dialect = dialect();
        var ctx = dev.hostevents.spi.RenderContext.of(dialect);
        for (var s : dialect.schema().dropIndex(IDX_HOST_EVENT_CREATED, false, ctx)) {
            execute(s.sql());
        }

        VerifyReport report = migrator.verify();
        assertThat(report.ok()).isFalse();
        assertThat(report.drift()).singleElement().asString().contains("idx_host_event_created").contains("missing");
        assertThatThrownBy(report::orThrow).isInstanceOf(dev.hostevents.migration.SchemaDriftException.class);
    }

    @Test
    void aUserRevisionAppendedAfterHead_isAppliedAndVerified() {
        IndexSpec active = new IndexSpec("ix_events_is_active", "events", List.of(IndexColumn.asc("is_active")), false);
        RevisionChain chain = RevisionChain.builtIn().append(Revision.builder("a1b2c3d4e5f6", "index is_active")
                .downRevision("c1b85c454f94")
                .upgrade(new CreateIndexStep(active))
                .downgrade(new DropIndexStep(active))
                .build());
        Migrator custom = Migrator.builder(ds).chain(chain).build();

        custom.upgrade("head");
        assertThat(custom.current()).contains("a1b2c3d4e5f6");
        assertThat(liveIndexes()).containsKey("ix_events_is_active");
        assertThat(custom.verify().drift()).isEmpty();
        custom.downgrade("-1");
        assertThat(liveIndexes()).doesNotContainKey("ix_events_is_active");
    }

    // =================================================================== the reference's seven contract tests

    @Test
    void createEvent_withCustomHostCode() {
        Event e = store().create(NewEvent.titled("Team retro").withHostCode(HOST_A));
        assertThat(e.hostCode()).isEqualTo(HOST_A);
        assertThat(e.id()).isPositive();
        assertThat(e.createdAt()).isEqualTo(T0);
        assertThat(e.active()).isTrue();
        assertThat(e.slug()).isEqualTo("team-retro");
        assertThat(e.shortCode()).matches("[A-Z0-9]{8}");
    }

    @Test
    void createEvent_autoGeneratesAHostCode_ofTheRightFormat() {
        EventStore store = store();
        Event e = store.create(NewEvent.titled("Town hall"));
        assertThat(e.hostCode()).matches("^host_[a-z0-9]{12}$");
        assertThat(store.findByHost(e.hostCode(), 10, 0)).extracting(Event::id).containsExactly(e.id());
    }

    @Test
    void createEvent_sameHostCodeOnASecondEvent_isAllowed_andBothAreListed() {
        EventStore store = store();
        Event first = store.create(NewEvent.titled("First").withHostCode(HOST_A));
        clock.advance(Duration.ofSeconds(1));
        Event second = store.create(NewEvent.titled("Second").withHostCode(HOST_A));
        assertThat(store.findByHost(HOST_A, 10, 0)).extracting(Event::id).containsExactly(second.id(), first.id());
        assertThat(store.countByHost(HOST_A)).isEqualTo(2);
    }

    @Test
    void createEvent_invalidHostCodeFormats_areEachRejected_andNoneIsStored() {
        EventStore store = store();
        List<String> bad = List.of("", "   ", "host_", "host_short", "host_aaaaaaaa00011", "host-aaaaaaaa0001",
                "HOST_aaaaaaaa000!", "guest_aaaaaaaa0001", "host_aaaa aaaa0001", "host_äaaaaaaa0001",
                "host_aaaaaaaa0001'; DROP TABLE events; --");
        for (String code : bad) {
            ValidationException e = catchThrowableOfType(ValidationException.class,
                    () -> store.create(NewEvent.titled("Bad").withHostCode(code)));
            assertThat(e).as("host code %s", code).isNotNull();
            assertThat(e.field()).isEqualTo("host_code");
            assertThat(e.getMessage()).isEqualTo("host code " + HostCodes.RULE);
        }
        assertThat(queryLong("SELECT COUNT(*) FROM events")).isZero();
    }

    @Test
    void hostCode_isCaseInsensitive_andTrimmed_onEveryEntryPoint() {
        EventStore store = store();
        Event e = store.create(NewEvent.titled("Mixed case").withHostCode("  HOST_AAAAAAAA0001 "));
        assertThat(e.hostCode()).isEqualTo(HOST_A);
        assertThat(store.findByHost("HOST_AAAAAAAA0001", 10, 0)).extracting(Event::id).containsExactly(e.id());
        assertThat(store.findByHost(" host_aaaaaaaa0001\t", PageRequest.first(10)).events()).hasSize(1);
        assertThat(store.countByHost("Host_AaAaAaAa0001")).isEqualTo(1);
    }

    @Test
    void createEvent_missingRequiredFields_areNamedInTheError() {
        EventStore store = store();
        assertThat(catchThrowableOfType(ValidationException.class, () -> store.create(new NewEvent(null, null, null, HOST_A))).field())
                .isEqualTo("title");
        assertThat(catchThrowableOfType(ValidationException.class, () -> store.create(new NewEvent("   ", null, null, HOST_A))).field())
                .isEqualTo("title");
        assertThat(catchThrowableOfType(ValidationException.class, () -> store.create(NewEvent.titled("x".repeat(201)))).getMessage())
                .isEqualTo("title must be at most 200 characters");
        assertThat(catchThrowableOfType(ValidationException.class, () -> store.create(NewEvent.titled("ok").withSlug("Not A Slug"))).field())
                .isEqualTo("slug");
        assertThat(queryLong("SELECT COUNT(*) FROM events")).isZero();
    }

    @Test
    void createEvent_withDescription_isStoredAndReturned_andOver1000CharactersIsRejected() {
        EventStore store = store();
        String text = "Line one\nLine two\twith tab — and ünïcödé 🎤";
        Event e = store.create(NewEvent.titled("Described").withHostCode(HOST_A).withDescription(text));
        assertThat(e.description()).isEqualTo(text);
        assertThat(store.findByHost(HOST_A, 1, 0).get(0).description()).isEqualTo(text);
        assertThat(store.findBySlug(e.slug())).get().extracting(Event::description).isEqualTo(text);

        ValidationException tooLong = catchThrowableOfType(ValidationException.class,
                () -> store.create(NewEvent.titled("Long").withHostCode(HOST_A).withDescription("d".repeat(1001))));
        assertThat(tooLong.field()).isEqualTo("description");
        assertThat(store.countByHost(HOST_A)).isEqualTo(1);
        assertThat(store.create(NewEvent.titled("Max").withHostCode(HOST_A).withDescription("d".repeat(1000))).description()).hasSize(1000);
    }

    // =================================================================== the store

    @Test
    void findByHost_returnsNewestFirst_tiesBrokenByIdInTheDialectsDirection() {
        EventStore store = store();
        Event a = store.create(NewEvent.titled("a").withHostCode(HOST_A));
        clock.advance(Duration.ofNanos(1_000)); // one microsecond: the stored precision
        Event b = store.create(NewEvent.titled("b").withHostCode(HOST_A));
        Event c = store.create(NewEvent.titled("c").withHostCode(HOST_A)); // tie with b
        clock.advance(Duration.ofSeconds(5));
        Event d = store.create(NewEvent.titled("d").withHostCode(HOST_A));
        store.create(NewEvent.titled("other").withHostCode(HOST_B));

        List<Long> ids = store.findByHost(HOST_A, 10, 0).stream().map(Event::id).toList();
        if (store.diagnostics().tieBreak() == TieBreak.ID_ASC) {
            assertThat(ids).containsExactly(d.id(), b.id(), c.id(), a.id());
        } else {
            assertThat(ids).containsExactly(d.id(), c.id(), b.id(), a.id());
        }
        Event read = store.findByHost(HOST_A, 10, 0).get(0);
        assertThat(read).isEqualTo(d);
        assertThat(read.createdAt()).isEqualTo(T0.plusNanos(1_000).plusSeconds(5));
    }

    @Test
    void offsetAndKeysetPages_agree_withNoDuplicatesOrGaps_acrossTies() {
        EventStore store = store();
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < 57; i++) {
            batch.add(NewEvent.titled("event " + i).withHostCode(i % 4 == 3 ? HOST_B : HOST_A));
        }
        // Three events per timestamp: ties everywhere.
        List<Event> created = new ArrayList<>();
        for (int i = 0; i < batch.size(); i += 3) {
            created.addAll(store.createAll(batch.subList(i, Math.min(i + 3, batch.size()))));
            clock.advance(Duration.ofMillis(250));
        }
        Comparator<Event> order = Comparator.comparing(Event::createdAt).reversed()
                .thenComparing(store.diagnostics().tieBreak() == TieBreak.ID_ASC
                        ? Comparator.comparingLong(Event::id) : Comparator.comparingLong(Event::id).reversed());
        List<Event> expected = created.stream().filter(e -> e.hostCode().equals(HOST_A)).sorted(order).toList();

        List<Event> byOffset = new ArrayList<>();
        for (int offset = 0; ; offset += 10) {
            List<Event> page = store.findByHost(HOST_A, 10, offset);
            byOffset.addAll(page);
            if (page.size() < 10) {
                break;
            }
        }
        List<Event> byKeyset = new ArrayList<>();
        Page page = store.findByHost(HOST_A, PageRequest.first(10));
        int pages = 1;
        byKeyset.addAll(page.events());
        while (page.hasNext()) {
            page = store.findByHost(HOST_A, PageRequest.after(page.nextCursor().orElseThrow(), 10));
            byKeyset.addAll(page.events());
            pages++;
        }
        assertThat(byOffset).containsExactlyElementsOf(expected);
        assertThat(byKeyset).containsExactlyElementsOf(expected);
        assertThat(new HashSet<>(byKeyset)).hasSize(expected.size());
        assertThat(pages).isEqualTo((expected.size() + 9) / 10);
    }

    @Test
    void keysetCursor_tamperedTruncatedOrFromAnotherHost_isRejected_neverShowsAnotherHostsRows() {
        EventStore store = store();
        for (int i = 0; i < 5; i++) {
            store.create(NewEvent.titled("a" + i).withHostCode(HOST_A));
            store.create(NewEvent.titled("b" + i).withHostCode(HOST_B));
            clock.advance(Duration.ofSeconds(1));
        }
        String cursor = store.findByHost(HOST_A, PageRequest.first(2)).nextCursor().orElseThrow();
        char flipped = cursor.charAt(5) == 'A' ? 'B' : 'A';
        List<String> bad = List.of(cursor.substring(0, 5) + flipped + cursor.substring(6), cursor.substring(0, cursor.length() - 2),
                "not-a-cursor", "%%%%", cursor + "AAAA", "x".repeat(5000));
        for (String c : bad) {
            ValidationException e = catchThrowableOfType(ValidationException.class,
                    () -> store.findByHost(HOST_A, PageRequest.after(c, 2)));
            assertThat(e).as("cursor %s", c).isNotNull();
            assertThat(e.field()).isEqualTo("cursor");
        }
        ValidationException replay = catchThrowableOfType(ValidationException.class,
                () -> store.findByHost(HOST_B, PageRequest.after(cursor, 2)));
        assertThat(replay.field()).isEqualTo("cursor");
        assertThat(replay.getMessage()).doesNotContain(HOST_A).doesNotContain(HOST_B);
        assertThat(store.findByHost(HOST_A, PageRequest.after(cursor, 10)).events())
                .hasSize(3).allSatisfy(e -> assertThat(e.hostCode()).isEqualTo(HOST_A));
    }

    @Test
    void keysetCursor_forgedWithTheOldPublicDefaultKey_isRejected_byAStoreWithoutAConfiguredKey() {
        EventStore store = store();
        Event a = store.create(NewEvent.titled("a").withHostCode(HOST_A));
        clock.advance(Duration.ofSeconds(1));
        store.create(NewEvent.titled("b").withHostCode(HOST_A));
        // Until the fix every store without a key of its own signed with this published one.
        byte[] oldPublicKey = "hostevents-cursor-key-v1".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        String forged = forgeCursor(oldPublicKey, store, HOST_A, a.createdAt().plusSeconds(3600), a.id() + 1000);

        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> store.findByHost(HOST_A, PageRequest.after(forged, 10)));
        assertThat(e).isNotNull();
        assertThat(e.field()).isEqualTo("cursor");
        assertThat(e.getMessage()).contains("start again from the first page").doesNotContain(HOST_A);
    }

    @Test
    void keysetCursor_withAValidMac_butAPositionNoDatabaseStores_isAValidationError_neverADatabaseError() {
        byte[] key = "contract-test-cursor-key-0001".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        migrator.upgrade("head");
        EventStore store = EventStore.builder(ds).clock(clock).cursorKey(key).build();
        Event a = store.create(NewEvent.titled("a").withHostCode(HOST_A));
        List<String> outside = List.of(
                forgeCursor(key, store, HOST_A, Instant.parse("+10000-01-01T00:00:00Z"), a.id()),
                forgeCursor(key, store, HOST_A, Instant.parse("0000-12-31T23:59:59.999999Z"), a.id()),
                forgeCursor(key, store, HOST_A, Instant.parse("+200000-01-01T00:00:00Z"), a.id()),
                forgeCursor(key, store, HOST_A, a.createdAt(), -1),
                forgeCursor(key, store, HOST_A, a.createdAt(), 0));
        for (String c : outside) {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> store.findByHost(HOST_A, PageRequest.after(c, 10)));
            assertThat(t).as("cursor %s", c).isInstanceOf(ValidationException.class);
            assertThat(((ValidationException) t).field()).isEqualTo("cursor");
            assertThat(t.getMessage()).contains("start again from the first page");
        }
        // The edges of the range bind on every database: nothing is older than year 1.
        assertThat(store.findByHost(HOST_A, PageRequest.after(
                forgeCursor(key, store, HOST_A, Instant.parse("0001-01-01T00:00:00Z"), 1), 10)).events()).isEmpty();
        assertThat(store.findByHost(HOST_A, PageRequest.after(
                forgeCursor(key, store, HOST_A, Instant.parse("9999-12-31T23:59:59.999999Z"), Long.MAX_VALUE), 10)).events())
                .containsExactly(a);
    }

    @Test
    void keysetCursor_movesBetweenStoresWithTheSameConfiguredKey_notBetweenStoresWithTwoRandomKeys() {
        migrator.upgrade("head");
        String setting = "base64:" + java.util.Base64.getEncoder().encodeToString(randomKey());
        EventStore one = EventStore.builder(ds).clock(clock).cursorKey(setting).build();
        EventStore two = EventStore.builder(ds).clock(clock).cursorKey(setting).build();
        for (int i = 0; i < 5; i++) {
            one.create(NewEvent.titled("e" + i).withHostCode(HOST_A));
            clock.advance(Duration.ofSeconds(1));
        }
        Page first = one.findByHost(HOST_A, PageRequest.first(2));
        String cursor = first.nextCursor().orElseThrow();

        assertThat(two.findByHost(HOST_A, PageRequest.after(cursor, 10)).events())
                .isEqualTo(one.findByHost(HOST_A, PageRequest.after(cursor, 10)).events()).hasSize(3);

        // Two JVMs without a configured key each sign with a random key of their own.
        EventStore jvmA = EventStore.builder(ds).clock(clock).cursorKey(randomKey()).build();
        EventStore jvmB = EventStore.builder(ds).clock(clock).cursorKey(randomKey()).build();
        String fromA = jvmA.findByHost(HOST_A, PageRequest.first(2)).nextCursor().orElseThrow();
        assertThat(jvmA.findByHost(HOST_A, PageRequest.after(fromA, 10)).events()).hasSize(3);
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> jvmB.findByHost(HOST_A, PageRequest.after(fromA, 10)));
        assertThat(e.field()).isEqualTo("cursor");
    }

    /** A cursor for a position of the test's choosing, signed with {@code key} as a store with that key signs it. */
    protected static String forgeCursor(byte[] key, EventStore store, String host, Instant createdAt, long id) {
        return new dev.hostevents.internal.CursorCodec(key).encode(host, store.diagnostics().tieBreak(), createdAt, id);
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void pageParameters_outOfRange_areValidationErrorsNamingTheParameter() {
        EventStore store = store();
        assertThat(catchThrowableOfType(ValidationException.class, () -> store.findByHost(HOST_A, 0, 0)).field()).isEqualTo("limit");
        assertThat(catchThrowableOfType(ValidationException.class, () -> store.findByHost(HOST_A, 101, 0)).field()).isEqualTo("limit");
        assertThat(catchThrowableOfType(ValidationException.class, () -> store.findByHost(HOST_A, 10, -1)).field()).isEqualTo("offset");
        assertThat(catchThrowableOfType(ValidationException.class,
                () -> store.findByHost(HOST_A, 10, EventStore.MAX_OFFSET + 1)).field()).isEqualTo("offset");
        assertThat(catchThrowableOfType(ValidationException.class, () -> store.findByHost(null, 10, 0)).field()).isEqualTo("host_code");
        assertThat(catchThrowableOfType(ValidationException.class, () -> PageRequest.first(0)).field()).isEqualTo("limit");
        assertThat(store.findByHost(HOST_A, 100, EventStore.MAX_OFFSET)).isEmpty();
    }

    @Test
    void slugs_areDerivedUnique_explicitDuplicatesRejected_andLookupsWork() {
        EventStore store = store();
        Event one = store.create(NewEvent.titled("Ünïcode Q&A: Night!").withHostCode(HOST_A));
        Event two = store.create(NewEvent.titled("Ünïcode Q&A: Night!").withHostCode(HOST_A));
        assertThat(one.slug()).isEqualTo("unicode-q-a-night");
        assertThat(two.slug()).isEqualTo("unicode-q-a-night-2");
        assertThat(catchThrowableOfType(ValidationException.class,
                () -> store.create(NewEvent.titled("x").withSlug("unicode-q-a-night"))).field()).isEqualTo("slug");
        assertThat(store.findBySlug("unicode-q-a-night-2")).contains(two);
        assertThat(store.findByShortCode(one.shortCode().toLowerCase())).contains(one);
        assertThat(store.findByShortCode("NOPE0000")).isEmpty();
        assertThat(store.findBySlug("no such slug!")).isEmpty();
        assertThat(store.create(NewEvent.titled("!!")).slug()).matches("event(-[a-z0-9]+)*");
    }

    @Test
    void createAll_storesEverythingOrNothing() {
        EventStore store = store();
        List<NewEvent> batch = List.of(NewEvent.titled("ok 1").withHostCode(HOST_A), NewEvent.titled("ok 2").withHostCode(HOST_A),
                NewEvent.titled("dup").withSlug("same-slug"), NewEvent.titled("dup").withSlug("same-slug"));
        assertThatThrownBy(() -> store.createAll(batch)).isInstanceOf(ValidationException.class).hasMessageContaining("slug");
        assertThat(queryLong("SELECT COUNT(*) FROM events")).isZero();
        assertThat(store.createAll(batch.subList(0, 3))).hasSize(3);
        assertThat(store.countByHost(HOST_A)).isEqualTo(2);
    }

    @Test
    void derivedSlugs_areTheFirstFreeOfBaseThen2To9_thenARandomSuffix_inCreateAndInBatches() {
        EventStore store = store();
        List<String> slugs = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            slugs.add(store.create(NewEvent.titled("Weekly standup").withHostCode(HOST_A)).slug());
        }
        assertThat(slugs.subList(0, 9)).containsExactly("weekly-standup", "weekly-standup-2", "weekly-standup-3",
                "weekly-standup-4", "weekly-standup-5", "weekly-standup-6", "weekly-standup-7", "weekly-standup-8",
                "weekly-standup-9");
        assertThat(slugs.subList(9, 11)).allMatch(s -> s.matches("weekly-standup-[a-z2-9]{6}")).doesNotHaveDuplicates();
        // A hole (a row deleted by the application) is the first free candidate again.
        execute("DELETE FROM events WHERE slug = 'weekly-standup-4'");
        assertThat(store.create(NewEvent.titled("Weekly standup")).slug()).isEqualTo("weekly-standup-4");
        execute("DELETE FROM events WHERE slug IN ('weekly-standup-6', 'weekly-standup-8')");
        List<Event> batch = store.createAll(List.of(NewEvent.titled("Weekly standup").withHostCode(HOST_B),
                NewEvent.titled("Fresh title").withHostCode(HOST_B), NewEvent.titled("Weekly standup").withHostCode(HOST_B),
                NewEvent.titled("Weekly standup").withHostCode(HOST_B), NewEvent.titled("Fresh title").withHostCode(HOST_B)));
        assertThat(batch).extracting(Event::slug).startsWith("weekly-standup-6", "fresh-title", "weekly-standup-8")
                .contains("fresh-title-2", atIndex(4));
        assertThat(batch.get(3).slug()).matches("weekly-standup-[a-z2-9]{6}");
        // Every returned event is the stored row, id included, in the order given.
        for (Event e : batch) {
            assertThat(store.findBySlug(e.slug())).contains(e);
        }
        assertThat(batch).extracting(Event::id).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void createAll_namesThePositionOfATakenSlug_andStoresNothing() {
        EventStore store = store();
        store.create(NewEvent.titled("taken").withSlug("taken-slug"));
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> store.createAll(List.of(
                NewEvent.titled("a"), NewEvent.titled("b"), NewEvent.titled("c").withSlug("taken-slug"))));
        assertThat(e.field()).isEqualTo("slug");
        assertThat(e.getMessage()).contains("event #2 of the batch");
        assertThat(queryLong("SELECT COUNT(*) FROM events")).isEqualTo(1);
    }

    /**
     * Concurrent batches of one title: each allocates from what it saw, the unique index lets one
     * batch win each slug, and the losers are allocated again and retried as a whole.
     */
    @Test
    void concurrentBatches_ofOneTitle_allSucceed_withEverySlugOnce() throws Exception {
        EventStore store = store();
        int writers = 8;
        int perBatch = 50;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Event>>> batches = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                batches.add(pool.submit(() -> {
                    List<NewEvent> batch = new ArrayList<>();
                    for (int i = 0; i < perBatch; i++) {
                        batch.add(NewEvent.titled("All hands").withHostCode(HOST_A));
                    }
                    start.await();
                    return store.createAll(batch);
                }));
            }
            start.countDown();
            Set<String> slugs = new HashSet<>();
            for (Future<List<Event>> f : batches) {
                for (Event e : f.get(120, TimeUnit.SECONDS)) {
                    assertThat(slugs.add(e.slug())).as("slug %s given twice", e.slug()).isTrue();
                }
            }
            assertThat(slugs).hasSize(writers * perBatch).contains("all-hands", "all-hands-2", "all-hands-9");
            assertThat(store.countByHost(HOST_A)).isEqualTo(writers * perBatch);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void toString_ofEveryPublicValue_masksTheHostCode() {
        EventStore store = store();
        Event e = store.create(NewEvent.titled("Secret").withHostCode(HOST_A));
        Page page = store.findByHost(HOST_A, PageRequest.first(1));
        for (Object o : List.of(e, NewEvent.titled("t").withHostCode(HOST_A), page, store, PageRequest.first(3))) {
            assertThat(o.toString()).doesNotContain(HOST_A).doesNotContain("aaaaaaaa0001");
        }
        assertThat(e.toString()).contains("host_********0001");
    }

    // =================================================================== the plan

    /** Rows for the plan checks: one big host among many small ones. */
    protected EventStore seededForPlans() throws SQLException {
        EventStore store = store();
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            batch.add(new NewEvent("big " + i, "big-" + i, null, HOST_A));
        }
        for (int h = 0; h < 60; h++) {
            String host = String.format("host_%012d", h);
            for (int i = 0; i < 15; i++) {
                batch.add(new NewEvent("small " + h + " " + i, "small-" + h + "-" + i, null, host));
            }
        }
        for (int i = 0; i < batch.size(); i += 100) {
            store.createAll(batch.subList(i, Math.min(i + 100, batch.size())));
            clock.advance(Duration.ofSeconds(1));
        }
        refreshStatistics(ds);
        return store;
    }

    @Test
    void pageQueryPlan_readsTheCompositeIndex_andNeverSorts() throws SQLException {
        EventStore store = seededForPlans();
        PlanReport page1 = store.diagnostics().explainFindByHost(HOST_A, 10, 0);
        assertThat(page1.ok()).as(page1.verdict() + "\n" + page1.plan()).isTrue();
        assertThat(page1.verdict()).isEqualTo("index idx_host_event_created, no sort");

        Event deep = store.findByHost(HOST_A, 1, 400).get(0);
        PlanReport keyset = store.diagnostics().explainKeyset(HOST_A, 10, deep.createdAt(), deep.id());
        assertThat(keyset.ok()).as(keyset.verdict() + "\n" + keyset.plan()).isTrue();
    }

    @Test
    void pageQueryPlan_withoutTheCompositeIndex_isReportedAsNotUsingIt() throws SQLException {
        EventStore store = seededForPlans();
        migrator.downgrade("-1");
        refreshStatistics(ds);
        PlanReport report = store.diagnostics().explainFindByHost(HOST_A, 10, 0);
        assertThat(report.ok()).as(report.plan()).isFalse();
        assertThat(report.verdict()).contains("idx_host_event_created");
    }

    @Test
    void plans_neverHoldTheHostCode_inTheirText_verdictOrToString() throws SQLException {
        EventStore store = seededForPlans();
        Event deep = store.findByHost(HOST_A, 1, 400).get(0);
        for (PlanReport report : List.of(store.diagnostics().explainFindByHost(HOST_A, 10, 0),
                store.diagnostics().explainKeyset(HOST_A, 10, deep.createdAt(), deep.id()))) {
            assertThat(report.plan()).doesNotContainIgnoringCase(HOST_A);
            assertThat(report.verdict()).doesNotContainIgnoringCase(HOST_A);
            assertThat(report.toString()).doesNotContainIgnoringCase(HOST_A);
        }
        // Without the index the verdict quotes the plan: masked as well.
        migrator.downgrade("-1");
        refreshStatistics(ds);
        PlanReport without = store.diagnostics().explainFindByHost(HOST_A, 10, 0);
        assertThat(without.toString()).doesNotContainIgnoringCase(HOST_A);
    }

    // =================================================================== secrets in errors

    /**
     * Statements that make the database reject an insert of {@code hostCode} with an error whose text
     * quotes it (a trigger that raises with the value, a CHECK or unique index the driver reports with
     * the failing row). Each dialect writes its own; the contract checks what reaches the caller.
     */
    protected abstract List<String> rejectInsertsQuoting(String hostCode);

    @Test
    void driverErrors_reachTheCaller_withSqlStateButNeverTheHostCode_anywhereInTheCauseChain() {
        EventStore store = store();
        String secret = "host_s3cr3tq0ut3d";
        for (String sql : rejectInsertsQuoting(secret)) {
            execute(sql);
        }
        long before = store.countByHost(secret);
        DatabaseAccessException e = catchThrowableOfType(
                () -> store.create(NewEvent.titled("quoted").withHostCode(secret)), DatabaseAccessException.class);
        assertThat(e).as("the database must reject the insert").isNotNull();
        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        assertThat(trace.toString()).doesNotContainIgnoringCase(secret)
                .contains(HostCodes.mask(secret));
        SQLException driver = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t)).doesNotContainIgnoringCase(secret);
            for (Throwable s : t.getSuppressed()) {
                assertThat(String.valueOf(s)).doesNotContainIgnoringCase(secret);
            }
            if (t instanceof SQLException sql && driver == null) {
                driver = sql;
            }
        }
        assertThat((Object) driver).as("the driver's error stays in the chain as an SQLException").isNotNull();
        assertThat(driver.getSQLState()).isEqualTo(e.sqlState());
        assertThat(driver.getErrorCode()).isEqualTo(e.vendorCode());
        // sqlite-jdbc sets no SQLState, only its result code; every server driver sets both.
        assertThat(e.sqlState() != null || e.vendorCode() != 0).as("SQLState or vendor code").isTrue();
        assertThat(store.countByHost(secret)).as("nothing half-written").isEqualTo(before);
    }
}
