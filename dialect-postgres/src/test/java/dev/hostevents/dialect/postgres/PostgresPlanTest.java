package dev.hostevents.dialect.postgres;

import static dev.hostevents.dialect.postgres.Pg.execute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.internal.EventQueries;
import dev.hostevents.internal.EventQueries.Bound;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.PlanReport;
import dev.hostevents.spi.TieBreak;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The page queries' plans, read from {@code EXPLAIN (FORMAT JSON)} on one table: a big host (6,000
 * events, three per timestamp so ties are everywhere) among 300 small ones (30,000 events).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresPlanTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.instance();

    private static final String BIG = "host_big000000001";
    private static final int LIMIT = 10;
    private static final String PAGE_PLAN = "Limit > Incremental Sort [created_at DESC, id] presorted [created_at]"
            + " > Index Scan idx_host_event_created (Forward)";

    private DataSource ds;
    private EventStore store;
    private Dialect dialect;
    private EventQueries queries;

    @BeforeAll
    void seed() {
        ds = POSTGRES.newDatabase();
        Migrator.create(ds).upgrade("head");
        execute(ds, "INSERT INTO events (title, slug, short_code, host_code, created_at)"
                + " SELECT 'big ' || g, 'big-' || g, 'B' || g, '" + BIG + "',"
                + " timestamp '2025-01-01' + (g / 3) * interval '1 second' FROM generate_series(1, 6000) g");
        execute(ds, "INSERT INTO events (title, slug, short_code, host_code, created_at)"
                + " SELECT 'small ' || g, 'small-' || g, 'S' || g, 'host_' || lpad((g % 300)::text, 12, '0'),"
                + " timestamp '2025-01-01' + g * interval '1 second' FROM generate_series(1, 30000) g");
        execute(ds, "ANALYZE events");
        store = EventStore.create(ds);
        dialect = store.diagnostics().dialect();
        queries = new EventQueries(dialect, false);
    }

    @Test
    void tieBreak_isIdAscending_likeEveryOtherDescHonouringDialect() {
        assertThat(store.diagnostics().tieBreak()).isEqualTo(TieBreak.ID_ASC);
        assertThat(store.diagnostics().pageQuerySql()).contains("ORDER BY created_at DESC, id ASC");
    }

    @Test
    void pageOne_readsTheCompositeIndexForward_andSortsOnlyTheRowsTiedOnCreatedAt() {
        PlanReport report = store.diagnostics().explainFindByHost(BIG, LIMIT, 0);

        assertThat(report.ok()).as(report.plan()).isTrue();
        assertThat(report.verdict()).isEqualTo("index idx_host_event_created, no sort");
        assertThat(ExplainPlan.parse(report.plan()).outline()).isEqualTo(PAGE_PLAN);
    }

    /**
     * After {@code prepareThreshold} runs pgjdbc reuses a server-side prepared statement, and the
     * server may then switch to a generic plan, made without the host code's value. That plan must
     * read the index in order too.
     */
    @Test
    void pageOne_asAGenericPlan_thatAReusedPreparedStatementMayGet_alsoReadsTheIndexInOrder() throws SQLException {
        Bound page = queries.page;
        StringBuilder sql = new StringBuilder();
        List<String> args = new java.util.ArrayList<>();
        int n = 0;
        for (char ch : page.sql().toCharArray()) {
            sql.append(ch == '?' ? "$" + (n + 1) : String.valueOf(ch));
            if (ch == '?') {
                args.add(switch (page.params()[n++]) {
                    case HOST -> "'" + BIG + "'";
                    case LIMIT -> String.valueOf(LIMIT);
                    case OFFSET -> "0";
                    default -> throw new IllegalStateException("unexpected parameter");
                });
            }
        }
        try (Connection c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("PREPARE page AS " + sql);
            s.execute("SET plan_cache_mode = force_generic_plan");
            String json;
            try (ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE page(" + String.join(", ", args) + ")")) {
                rs.next();
                json = rs.getString(1);
            }

            ExplainPlan plan = ExplainPlan.parse(json);
            assertThat(plan.nodes().get(2).string("Index Cond")).contains("$1");
            assertThat(plan.outline()).isEqualTo(PAGE_PLAN);
        }
    }

    @Test
    void referenceQuery_orderByCreatedAtDescAlone_hasNoSortNodeAtAll() throws SQLException {
        String sql = "SELECT id, title, created_at FROM events WHERE host_code = ? ORDER BY created_at DESC LIMIT ?";
        try (Connection c = ds.getConnection()) {
            PlanReport report = dialect.queries().explain(c, sql, ps -> {
                ps.setString(1, BIG);
                ps.setInt(2, LIMIT);
            }, "idx_host_event_created");

            ExplainPlan plan = ExplainPlan.parse(report.plan());
            assertThat(plan.nodes()).extracting(ExplainPlan.Node::nodeType).noneMatch(type -> type.contains("Sort"));
            assertThat(plan.outline()).isEqualTo("Limit > Index Scan idx_host_event_created (Forward)");
            assertThat(report.ok()).isTrue();
        }
    }

    @Test
    void keysetPage_boundsCreatedAtInTheIndexCondition_notInAFilter() {
        Event deep = store.findByHost(BIG, 1, 4_000).get(0);
        PlanReport report = store.diagnostics().explainKeyset(BIG, LIMIT, deep.createdAt(), deep.id());

        assertThat(report.ok()).as(report.plan()).isTrue();
        ExplainPlan.Node scan = ExplainPlan.parse(report.plan()).nodes().get(2);
        assertThat(scan.isOrderedScanOf("idx_host_event_created")).isTrue();
        assertThat(scan.string("Index Cond")).matches("\\(\\(\\(host_code\\)::text = .*\\) AND \\(created_at <= .*\\)\\)");
        // Only the tie-break on the boundary's own timestamp is left to the filter.
        assertThat(scan.string("Filter")).matches("\\(\\(created_at < .*\\) OR \\(id > .*\\)\\)");
    }

    @Test
    void keysetPage_deepInTheHost_hasPageOnesPlan_andReadsAsFewRowsAsPageOne() throws SQLException {
        Event deep = store.findByHost(BIG, 1, 5_000).get(0);

        ExplainPlan first = analyze(queries.keysetFirst, 0, null, 0);
        ExplainPlan after = analyze(queries.keysetAfter, 0, deep.createdAt(), deep.id());
        ExplainPlan offset = analyze(queries.page, 5_000, null, 0);

        assertThat(first.outline()).isEqualTo(PAGE_PLAN);
        assertThat(after.outline()).isEqualTo(PAGE_PLAN);
        long firstRead = rowsRead(first);
        long afterRead = rowsRead(after);
        System.out.printf("index rows read: keyset page 1 %d, keyset page at 5,000 %d, offset page at 5,000 %d (%s)%n",
                firstRead, afterRead, rowsRead(offset), offset.outline());
        // LIMIT + 1 rows, plus the rest of the last timestamp's group (3 per timestamp), plus at most the
        // boundary's group again on the deep page: independent of depth.
        assertThat(firstRead).isLessThanOrEqualTo(LIMIT + 1 + 3);
        assertThat(afterRead).isLessThanOrEqualTo(LIMIT + 1 + 3 + 3);
    }

    @Test
    void anAscendingIndex_isScannedBackwardWithoutASort_soOnlyVerifySeesTheLostDesc() throws SQLException {
        DataSource other = POSTGRES.newDatabase();
        Migrator m = Migrator.create(other);
        m.upgrade("+1");
        execute(other, "CREATE INDEX idx_host_event_created ON events (host_code, created_at)");
        m.stamp("head");
        execute(other, "INSERT INTO events (title, slug, short_code, host_code, created_at)"
                + " SELECT 'e ' || g, 'e-' || g, 'E' || g, 'host_' || lpad((g % 50)::text, 12, '0'),"
                + " timestamp '2025-01-01' + g * interval '1 second' FROM generate_series(1, 20000) g");
        execute(other, "ANALYZE events");

        try (Connection c = other.getConnection()) {
            PlanReport report = dialect.queries().explain(c,
                    "SELECT id FROM events WHERE host_code = ? ORDER BY created_at DESC LIMIT 10",
                    ps -> ps.setString(1, "host_000000000007"), "idx_host_event_created");
            assertThat(ExplainPlan.parse(report.plan()).outline()).isEqualTo("Limit > Index Scan idx_host_event_created (Backward)");
        }
        assertThat(m.verify().drift()).singleElement().asString().contains("created_at ASC");
    }

    /** Runs {@code EXPLAIN (ANALYZE, FORMAT JSON)} of a store query, bound as the store binds it. */
    private ExplainPlan analyze(Bound q, int offset, Instant afterCreatedAt, long afterId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + q.sql())) {
            for (int i = 0; i < q.params().length; i++) {
                int at = i + 1;
                switch (q.params()[i]) {
                    case HOST -> ps.setString(at, BIG);
                    case LIMIT -> ps.setInt(at, LIMIT + 1);
                    case OFFSET -> ps.setInt(at, offset);
                    case AFTER_CREATED_AT -> dialect.queries().bindCreatedAt(ps, at, afterCreatedAt);
                    case AFTER_ID -> ps.setLong(at, afterId);
                    default -> throw new IllegalStateException("unexpected parameter " + q.params()[i]);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return ExplainPlan.parse(rs.getString(1));
            }
        }
    }

    /** Rows the scan of the index produced plus those its filter removed: what the page cost to read. */
    private static long rowsRead(ExplainPlan plan) {
        List<ExplainPlan.Node> scans = plan.nodes().stream().filter(n -> n.nodeType().contains("Scan")).toList();
        return scans.stream().mapToLong(n -> (long) (n.number("Actual Rows") + Math.max(0, n.number("Rows Removed by Filter"))))
                .sum();
    }
}
