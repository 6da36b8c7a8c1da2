package dev.hostevents.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.internal.EventQueries;
import dev.hostevents.migration.Direction;
import dev.hostevents.migration.HostEventsRevisions;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.DialectProvider;
import dev.hostevents.spi.Dialects;
import dev.hostevents.spi.ServerInfo;
import dev.hostevents.spi.TieBreak;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Offline SQL ({@code sql upgrade --dialect mysql|mariadb --server-version V}): no server needed. */
class MySqlOfflineSqlTest {
    private static final String DESC_INDEX = "CREATE INDEX idx_host_event_created ON events(host_code, created_at DESC);";
    private static final String ASC_INDEX = "CREATE INDEX idx_host_event_created ON events(host_code, created_at);";

    private final DialectProvider provider = Dialects.byName("mysql");

    @ParameterizedTest(name = "{0} {1}: DESC kept = {2}")
    @CsvSource({
        "mysql,   5.7,     false, MySQL 5.7",
        "mysql,   5.7.44,  false, MySQL 5.7",
        "mysql,   8.0,     true,  MySQL 8.0",
        "mysql,   8.4.3,   true,  MySQL 8.4",
        "mariadb, 10.2,    false, MariaDB 10.2",
        "mariadb, 10.7,    false, MariaDB 10.7",
        "mariadb, 10.8,    true,  MariaDB 10.8",
        "mariadb, 11.4,    true,  MariaDB 11.4",
    })
    void offlineUpgradeSql_rendersTheCompositeIndexAsThisServerBuildsIt(String alias, String version, boolean keepsDesc,
            String shortName) {
        String sql = Migrator.sql(Direction.UPGRADE, "base:head", Dialects.offline(alias, version));

        if (keepsDesc) {
            assertThat(sql).contains(DESC_INDEX).doesNotContain(ASC_INDEX).doesNotContain("ascending by design");
        } else {
            // Written without DESC (the server would drop it silently), and the script says why.
            assertThat(sql).contains("-- ascending by design on " + shortName + ": it drops DESC\n" + ASC_INDEX)
                    .doesNotContain(DESC_INDEX);
        }
        assertThat(sql).contains("created_at datetime(6) NOT NULL").contains("DEFAULT CHARSET=utf8mb4")
                .contains("CREATE UNIQUE INDEX ix_events_slug ON events(slug);")
                .contains("UPDATE alembic_version SET version_num = 'c1b85c454f94' WHERE version_num = '9372cec8298d';");
    }

    @Test
    void offlineDowngradeSql_dropsTheIndexOnTheTable() {
        for (Dialect dialect : new Dialect[] {Dialects.offline("mysql", "5.7"), Dialects.offline("mariadb", "11.4")}) {
            assertThat(Migrator.sql(Direction.DOWNGRADE, "c1b85c454f94:9372cec8298d", dialect))
                    .contains("DROP INDEX idx_host_event_created ON events;")
                    .doesNotContain("IF EXISTS");
        }
    }

    @Test
    void offlineServer_defaultsToTheNewestOfEachProduct_andAMariaDbVersionStringIsMariaDb() {
        assertThat(provider.offlineServer("mysql", null)).isEqualTo(ServerInfo.of("MySQL", "8.0"));
        assertThat(provider.offlineServer("mariadb", null)).isEqualTo(ServerInfo.of("MariaDB", "11.4"));
        assertThat(provider.offlineServer("mysql", "10.2.11-MariaDB").product()).isEqualTo("MariaDB");
        assertThat(provider).isInstanceOf(MySqlDialectProvider.class);
        assertThat(Dialects.byName("mariadb")).isInstanceOf(MySqlDialectProvider.class);
        assertThat(Dialects.forServer(ServerInfo.of("MariaDB", "10.2.11-MariaDB"))).isInstanceOf(MySqlDialectProvider.class);
        assertThat(Dialects.forServer(ServerInfo.of("MySQL", "5.5.5-10.2.11-MariaDB"))).isInstanceOf(MySqlDialectProvider.class);
        assertThat(Dialects.offline("mariadb", null).server()).isEqualTo(ServerInfo.of("MariaDB", "11.4"));
        assertThat(Dialects.offline("mysql", "10.2.11-MariaDB").schema().buildNote(HostEventsRevisions.IDX_HOST_EVENT_CREATED))
                .isEqualTo("ascending by design on MariaDB 10.2: it drops DESC");
    }

    @Test
    void pageQueries_perGeneration_tieBreakAndExpandedKeysetPredicate() {
        EventQueries old = new EventQueries(Dialects.offline("mariadb", "10.2"), true);
        EventQueries recent = new EventQueries(Dialects.offline("mysql", "8.0"), true);

        assertThat(old.tieBreak).isEqualTo(TieBreak.ID_DESC);
        assertThat(old.page.sql()).endsWith("WHERE host_code = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?");
        assertThat(old.keysetAfter.sql()).contains("WHERE (host_code = ? AND (created_at < ? OR (created_at = ? AND id < ?)))"
                + " ORDER BY created_at DESC, id DESC LIMIT ?");
        assertThat(recent.tieBreak).isEqualTo(TieBreak.ID_ASC);
        assertThat(recent.page.sql()).endsWith("WHERE host_code = ? ORDER BY created_at DESC, id ASC LIMIT ? OFFSET ?");
        assertThat(recent.keysetAfter.sql()).contains("(created_at < ? OR (created_at = ? AND id > ?))");
    }

    @Test
    void jooqDialect_mariaDbBefore106_getsMySqlSyntax_whichItParses() {
        assertThat(Dialects.offline("mariadb", "10.2").sqlDialect()).isEqualTo(SQLDialect.MYSQL);
        assertThat(Dialects.offline("mariadb", "10.6").sqlDialect()).isEqualTo(SQLDialect.MARIADB);
        assertThat(Dialects.offline("mysql", "5.7").sqlDialect()).isEqualTo(SQLDialect.MYSQL);
        assertThat(new EventQueries(Dialects.offline("mariadb", "10.5"), false).page.sql())
                .doesNotContain("FETCH").endsWith("LIMIT ? OFFSET ?");
    }

    @Test
    void buildNote_onlyForADescendingIndexOnAServerThatDropsDesc() {
        Dialect old = Dialects.offline("mariadb", "10.2");
        assertThat(old.schema().buildNote(HostEventsRevisions.IDX_HOST_EVENT_CREATED))
                .isEqualTo("ascending by design on MariaDB 10.2: it drops DESC");
        assertThat(old.schema().buildNote(HostEventsRevisions.IX_EVENTS_HOST_CODE)).isNull();
        assertThat(Dialects.offline("mysql", "8.0").schema().buildNote(HostEventsRevisions.IDX_HOST_EVENT_CREATED)).isNull();
    }

    @ParameterizedTest(name = "{0} {1}: DESC kept = {2}")
    @CsvSource({
        "MySQL,   5.7.44,                false",
        "MySQL,   8.0.0,                 true",
        "MariaDB, 10.7.8-MariaDB,        false",
        "MariaDB, 10.8.1-MariaDB,        true",
        "MySQL,   5.5.5-10.2.11-MariaDB, false",
    })
    void bind_decidesTheGenerationOnce_andTheBoundRolesAgreeWithKeepsDescendingIndexes(String product, String version,
            boolean keepsDesc) {
        ServerInfo server = ServerInfo.of(product, version);
        Dialect bound = provider.bind(server);

        assertThat(MySqlDialectProvider.keepsDescendingIndexes(server)).isEqualTo(keepsDesc);
        assertThat(bound.name()).isEqualTo("mysql");
        assertThat(bound.server()).isEqualTo(server);
        assertThat(bound.queries().tieBreak()).isEqualTo(keepsDesc ? TieBreak.ID_ASC : TieBreak.ID_DESC);
        assertThat(bound.schema().expectedIndex(HostEventsRevisions.IDX_HOST_EVENT_CREATED).hasDescendingColumn())
                .isEqualTo(keepsDesc);
        assertThat(bound.migration().supportsTransactionalDdl()).isFalse();
    }
}
