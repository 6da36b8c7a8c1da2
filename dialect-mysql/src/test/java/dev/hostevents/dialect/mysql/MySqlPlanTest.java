package dev.hostevents.dialect.mysql;

import static dev.hostevents.dialect.mysql.Fixtures.BIG_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.internal.EventQueries;
import dev.hostevents.migration.LogEntry;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.PlanReport;
import dev.hostevents.spi.ServerInfo;
import dev.hostevents.spi.TieBreak;
import dev.hostevents.testing.MutableClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the index really is on each generation, and how the page queries read it: {@code SHOW INDEX},
 * {@code EXPLAIN} and the session's {@code Handler_read%} counters.
 */
class MySqlPlanTest {
    static Stream<MariaDbServer> servers() {
        return Stream.of(MariaDbServer.NEW, MariaDbServer.OLD);
    }

    private static String collation(Connection c, String index, String column) throws SQLException {
        return Fixtures.rows(c, "SHOW INDEX FROM events").stream()
                .filter(r -> r.get("Key_name").equals(index) && r.get("Column_name").equals(column))
                .map(r -> r.get("Collation")).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void desc_writtenByHand_isKeptByANewServer_andSilentlyDroppedByAnOldOne(MariaDbServer server) throws SQLException {
        DataSource ds = server.newDatabase();
        Migrator.create(ds).upgrade("+1");
        try (Connection c = ds.getConnection()) {
            // The problem this dialect solves: the old server accepts DESC and builds the column ascending.
            c.createStatement().execute("CREATE INDEX probe ON events (host_code, created_at DESC)");
            assertThat(collation(c, "probe", "created_at")).isEqualTo(server.keepsDesc() ? "D" : "A");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void compositeIndex_showIndexSaysDOnNew_AOnOld_andTheLogSaysWhyOnOld(MariaDbServer server) throws SQLException {
        DataSource ds = server.newDatabase();
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("head");

        try (Connection c = ds.getConnection()) {
            assertThat(collation(c, "idx_host_event_created", "host_code")).isEqualTo("A");
            assertThat(collation(c, "idx_host_event_created", "created_at")).isEqualTo(server.keepsDesc() ? "D" : "A");
        }
        LogEntry composite = migrator.log().get(1);
        assertThat(composite.revision()).isEqualTo("c1b85c454f94");
        ServerInfo info = server.server();
        if (server.keepsDesc()) {
            assertThat(composite.note()).isNull();
        } else {
            assertThat(composite.note()).isEqualTo("ascending by design on " + info.product() + " " + info.major() + "."
                    + info.minor() + ": it drops DESC");
        }
        assertThat(migrator.verify().drift()).isEmpty();
        assertThat(migrator.verify().advice()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void explain_page1AndDeepKeyset_readTheCompositeIndex_withoutFilesort_keysetAsARange(MariaDbServer server) throws SQLException {
        DataSource ds = server.newDatabase();
        Migrator.create(ds).upgrade("head");
        MutableClock clock = new MutableClock(Fixtures.T0);
        EventStore store = EventStore.builder(ds).clock(clock).build();
        Fixtures.seed(ds, store, clock, 600);
        assertThat(store.diagnostics().tieBreak()).isEqualTo(server.keepsDesc() ? TieBreak.ID_ASC : TieBreak.ID_DESC);

        PlanReport page1 = store.diagnostics().explainFindByHost(BIG_HOST, 10, 0);
        Map<String, String> page1Row = firstRow(page1);
        assertThat(page1.ok()).as(page1.plan()).isTrue();
        assertThat(page1Row.get("key")).isEqualTo("idx_host_event_created");
        assertThat(page1Row.get("type")).isIn("ref", "range");
        assertThat(page1Row.get("Extra")).doesNotContain("filesort");
        assertThat(page1.plan()).contains("\"key\": \"idx_host_event_created\"").doesNotContain("filesort");
        // The plan quotes the bound host code: masked, as everywhere else.
        assertThat(page1.toString()).doesNotContain(BIG_HOST).contains("host_********0001");

        Event deep = store.findByHost(BIG_HOST, 1, 400).get(0);
        PlanReport keyset = store.diagnostics().explainKeyset(BIG_HOST, 10, deep.createdAt(), deep.id());
        Map<String, String> keysetRow = firstRow(keyset);
        assertThat(keyset.ok()).as(keyset.plan()).isTrue();
        assertThat(keysetRow.get("key")).isEqualTo("idx_host_event_created");
        assertThat(keysetRow.get("type")).as(keyset.plan()).isEqualTo("range");
        // The range bounds created_at (and id) too, not only host_code: it seeks, it does not skip.
        assertThat(Integer.parseInt(keysetRow.get("key_len"))).isGreaterThan(Integer.parseInt(page1Row.get("key_len")));
        assertThat(keyset.plan()).doesNotContain("filesort");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void handlerCounters_oldServerReadsTheIndexBackwards_newServerForwards(MariaDbServer server) throws SQLException {
        DataSource ds = server.newDatabase();
        Migrator.create(ds).upgrade("head");
        MutableClock clock = new MutableClock(Fixtures.T0);
        EventStore store = EventStore.builder(ds).clock(clock).build();
        Fixtures.seed(ds, store, clock, 600);
        EventQueries queries = new EventQueries(store.diagnostics().dialect(), false);
        Event deep = store.findByHost(BIG_HOST, 1, 400).get(0);

        try (Connection c = ds.getConnection()) {
            Map<String, Long> page1 = Fixtures.handlerReadsOf(c, queries.page, BIG_HOST, 10, 0, null, 0);
            Map<String, Long> keyset = Fixtures.handlerReadsOf(c, queries.keysetAfter, BIG_HOST, 10, 0, deep.createdAt(), deep.id());
            for (Map<String, Long> reads : List.of(page1, keyset)) {
                // One seek, then one index step per further row; never a scan of the host's 600 rows.
                assertThat(reads.get("Handler_read_key") + reads.get("Handler_read_last")).as(reads.toString()).isBetween(1L, 2L);
                if (server.keepsDesc()) {
                    assertThat(reads.get("Handler_read_next")).as(reads.toString()).isBetween(9L, 11L);
                    assertThat(reads.get("Handler_read_prev")).as(reads.toString()).isZero();
                } else {
                    // EXPLAIN on MariaDB 10.2 never says "backward"; the counters do.
                    assertThat(reads.get("Handler_read_prev")).as(reads.toString()).isBetween(9L, 11L);
                    assertThat(reads.get("Handler_read_next")).as(reads.toString()).isZero();
                }
                assertThat(reads.get("Handler_read_rnd_next")).as(reads.toString()).isLessThan(10L);
            }
        }
    }

    /**
     * Why the keyset predicate is the expanded form: on the old server, whose page order
     * {@code created_at DESC, id DESC} a row value expresses exactly, the row value bounds only
     * {@code host_code} and the server steps through every row before the cursor; the expanded form
     * seeks to it.
     */
    @org.junit.jupiter.api.Test
    void rowValueKeyset_readsEveryRowBeforeTheCursor_theExpandedFormSeeks() throws SQLException {
        DataSource ds = MariaDbServer.OLD.newDatabase();
        Migrator.create(ds).upgrade("head");
        MutableClock clock = new MutableClock(Fixtures.T0);
        EventStore store = EventStore.builder(ds).clock(clock).build();
        Fixtures.seed(ds, store, clock, 600);
        EventQueries queries = new EventQueries(store.diagnostics().dialect(), false);
        Event deep = store.findByHost(BIG_HOST, 1, 400).get(0);
        EventQueries.Bound rowValue = new EventQueries.Bound(queries.keysetAfter.sql()
                .replace("(created_at < ? OR (created_at = ? AND id < ?))", "(created_at, id) < (?, ?)"),
                new EventQueries.P[] {EventQueries.P.HOST, EventQueries.P.AFTER_CREATED_AT, EventQueries.P.AFTER_ID,
                    EventQueries.P.LIMIT});
        assertThat(rowValue.sql()).contains("(created_at, id) < (?, ?)");

        try (Connection c = ds.getConnection()) {
            Map<String, Long> expanded = Fixtures.handlerReadsOf(c, queries.keysetAfter, BIG_HOST, 10, 0, deep.createdAt(), deep.id());
            Map<String, Long> row = Fixtures.handlerReadsOf(c, rowValue, BIG_HOST, 10, 0, deep.createdAt(), deep.id());

            assertThat(expanded.get("Handler_read_prev")).as(expanded.toString()).isBetween(9L, 11L);
            assertThat(row.get("Handler_read_prev")).as(row.toString()).isGreaterThanOrEqualTo(400L);
        }
    }

    private static Map<String, String> firstRow(PlanReport report) {
        Map<String, String> row = new java.util.LinkedHashMap<>();
        for (String part : report.plan().lines().findFirst().orElseThrow().split(" \\| ")) {
            int eq = part.indexOf('=');
            row.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return row;
    }
}
