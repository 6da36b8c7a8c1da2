package dev.hostevents.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostevents.migration.Direction;
import dev.hostevents.migration.HostEventsRevisions;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.DialectProvider;
import dev.hostevents.spi.Dialects;
import dev.hostevents.spi.IndexColumn;
import dev.hostevents.spi.IndexSpec;
import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import dev.hostevents.spi.ServerInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the dialect renders and parses, without a server. */
class PostgresDialectTest {
    private final DialectProvider provider = Dialects.byName("postgres");
    private final Dialect dialect = Dialects.offline("postgres", null);
    private final ServerInfo server = dialect.server();

    @Test
    void isFoundByNameAliasAndProduct() {
        assertThat(provider).isInstanceOf(PostgresDialectProvider.class);
        assertThat(Dialects.byName("postgresql")).isSameAs(provider);
        assertThat(Dialects.byName("PG")).isSameAs(provider);
        assertThat(Dialects.forServer(ServerInfo.of("PostgreSQL", "17.11"))).isSameAs(provider);
        assertThat(server.major()).isEqualTo(17);
        assertThat(server).isEqualTo(provider.offlineServer("postgres", null));
        assertThat(dialect.name()).isEqualTo("postgres");
        assertThat(dialect.sqlDialect()).isEqualTo(org.jooq.SQLDialect.POSTGRES);
        assertThat(dialect.schema()).isInstanceOf(PostgresSchema.class);
        assertThat(dialect.migration()).isInstanceOf(PostgresMigration.class);
        assertThat(dialect.queries()).isInstanceOf(PostgresQueries.class);
    }

    @Test
    void offlineUpgrade_buildsTheCompositeIndexConcurrently_withTheTransactionBlockComment() {
        String sql = Migrator.sql(Direction.UPGRADE, "9372cec8298d:head", dialect);

        assertThat(sql).contains("""
                -- Running upgrade 9372cec8298d -> c1b85c454f94, add_composite_index_host_code_created_at
                -- CONCURRENTLY cannot run inside a transaction block: run this statement on its own, in auto-commit
                CREATE INDEX CONCURRENTLY idx_host_event_created ON events(host_code, created_at DESC);
                UPDATE alembic_version SET version_num = 'c1b85c454f94' WHERE version_num = '9372cec8298d';
                """);
    }

    @Test
    void offlineDowngrade_dropsTheCompositeIndexConcurrently() {
        String sql = Migrator.sql(Direction.DOWNGRADE, "head:9372cec8298d", dialect);

        assertThat(sql).contains("""
                -- CONCURRENTLY cannot run inside a transaction block: run this statement on its own, in auto-commit
                DROP INDEX CONCURRENTLY idx_host_event_created;
                """);
    }

    @Test
    void initialSchema_createsTableAndItsIndexesInOneTransaction_timestamp6_noConcurrently() {
        String sql = Migrator.sql(Direction.UPGRADE, "base:9372cec8298d", dialect);

        assertThat(sql).contains("created_at timestamp(6) NOT NULL")
                .contains("CREATE INDEX ix_events_host_code ON events(host_code);")
                .contains("CREATE UNIQUE INDEX ix_events_slug ON events(slug);")
                .doesNotContain("CONCURRENTLY");
        var ctx = RenderContext.of(dialect);
        for (var index : List.of(HostEventsRevisions.IX_EVENTS_ID, HostEventsRevisions.IX_EVENTS_HOST_CODE,
                HostEventsRevisions.IX_EVENTS_SHORT_CODE, HostEventsRevisions.IX_EVENTS_SLUG)) {
            assertThat(dialect.schema().createIndex(index, true, ctx)).noneMatch(RenderedStatement::outsideTransaction);
            assertThat(dialect.schema().dropIndex(index, true, ctx)).noneMatch(RenderedStatement::outsideTransaction);
        }
    }

    @Test
    void anyOtherIndex_isCreatedAndDroppedConcurrently_outsideTheTransaction() {
        var ctx = RenderContext.of(dialect);
        var unique = new IndexSpec("ix_events_title", "events", List.of(IndexColumn.asc("title")), true);

        RenderedStatement create = dialect.schema().createIndex(unique, false, ctx).get(0);
        RenderedStatement drop = dialect.schema().dropIndex(HostEventsRevisions.IDX_HOST_EVENT_CREATED, false, ctx).get(0);

        assertThat(create.sql()).isEqualTo("CREATE UNIQUE INDEX CONCURRENTLY ix_events_title ON events(title)");
        assertThat(create.outsideTransaction()).isTrue();
        assertThat(drop.sql()).isEqualTo("DROP INDEX CONCURRENTLY idx_host_event_created");
        assertThat(drop.outsideTransaction()).isTrue();
        assertThat(drop.comment()).contains("cannot run inside a transaction block");
    }

    @Test
    void concurrentlyOrNot_isDecidedByTheStepsFlag_notByTheIndexName() {
        var ctx = RenderContext.of(dialect);
        var hostCode = HostEventsRevisions.IX_EVENTS_HOST_CODE;
        var composite = HostEventsRevisions.IDX_HOST_EVENT_CREATED;

        assertThat(dialect.schema().createIndex(hostCode, false, ctx)).singleElement().satisfies(s -> {
            assertThat(s.sql()).isEqualTo("CREATE INDEX CONCURRENTLY ix_events_host_code ON events(host_code)");
            assertThat(s.outsideTransaction()).isTrue();
        });
        assertThat(dialect.schema().createIndex(composite, true, ctx)).singleElement().satisfies(s -> {
            assertThat(s.sql()).isEqualTo("CREATE INDEX idx_host_event_created ON events(host_code, created_at DESC)");
            assertThat(s.outsideTransaction()).isFalse();
        });
        assertThat(dialect.schema().dropIndex(hostCode, false, ctx)).singleElement().satisfies(s -> {
            assertThat(s.sql()).isEqualTo("DROP INDEX CONCURRENTLY ix_events_host_code");
            assertThat(s.outsideTransaction()).isTrue();
        });
        assertThat(dialect.schema().dropIndex(composite, true, ctx)).singleElement().satisfies(s -> {
            assertThat(s.sql()).isEqualTo("DROP INDEX idx_host_event_created");
            assertThat(s.outsideTransaction()).isFalse();
        });
    }

    @Test
    void explainJson_isReadIntoNodes_andAnIncrementalSortPresortedOnCreatedAtIsNotASort() {
        String json = """
                [
                  {
                    "Plan": {
                      "Node Type": "Limit", "Parallel Aware": false, "Startup Cost": 0.96, "Plan Rows": 10,
                      "Plans": [
                        {
                          "Node Type": "Incremental Sort", "Parent Relationship": "Outer",
                          "Sort Key": ["created_at DESC", "id"], "Presorted Key": ["created_at"],
                          "Plans": [
                            {
                              "Node Type": "Index Scan", "Scan Direction": "Forward",
                              "Index Name": "idx_host_event_created", "Relation Name": "events",
                              "Index Cond": "((host_code)::text = 'host_\\"x\\"\\u00e9'::text)", "Total Cost": 1.5e3
                            }
                          ]
                        }
                      ]
                    },
                    "Planning Time": null, "JIT": true
                  }
                ]""";

        ExplainPlan plan = ExplainPlan.parse(json);

        assertThat(plan.nodes()).extracting(ExplainPlan.Node::nodeType).containsExactly("Limit", "Incremental Sort", "Index Scan");
        assertThat(plan.nodes().get(2).isOrderedScanOf("idx_host_event_created")).isTrue();
        assertThat(plan.nodes().get(2).string("Index Cond")).isEqualTo("((host_code)::text = 'host_\"x\"é'::text)");
        assertThat(plan.nodes().get(2).number("Total Cost")).isEqualTo(1500.0);
        assertThat(plan.nodes()).noneMatch(ExplainPlan.Node::isFullSort);
        assertThat(plan.outline()).isEqualTo("Limit > Incremental Sort [created_at DESC, id] presorted [created_at]"
                + " > Index Scan idx_host_event_created (Forward)");
    }

    @Test
    void explainJson_aSortOrAnIncrementalSortNotPresortedOnCreatedAt_isASort() {
        ExplainPlan sort = ExplainPlan.parse("[{\"Plan\": {\"Node Type\": \"Sort\", \"Sort Key\": [\"created_at DESC\"]}}]");
        ExplainPlan incremental = ExplainPlan.parse(
                "[{\"Plan\": {\"Node Type\": \"Incremental Sort\", \"Presorted Key\": [\"host_code\"]}}]");

        assertThat(sort.root().isFullSort()).isTrue();
        assertThat(incremental.root().isFullSort()).isTrue();
    }

    @Test
    void explainJson_malformed_isAClearError() {
        assertThatThrownBy(() -> ExplainPlan.parse("[{\"Plan\": {\"Node Type\": ")).hasMessageContaining("bad EXPLAIN JSON");
        assertThatThrownBy(() -> ExplainPlan.parse("{}")).hasMessageContaining("not an EXPLAIN");
    }
}
