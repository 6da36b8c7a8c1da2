package dev.hostevents.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.internal.EventQueries;
import dev.hostevents.migration.Direction;
import dev.hostevents.migration.HostEventsRevisions;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.Dialect;
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

    private final Dialect dialect = Dialects.byName("mysql");

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
        ServerInfo server = dialect.offlineServer(alias, version);
        String sql = Migrator.sql(Direction.UPGRADE, "base:head", dialect, server);

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
        for (ServerInfo server : new ServerInfo[] {dialect.offlineServer("mysql", "5.7"), dialect.offlineServer("mariadb", "11.4")}) {
            assertThat(Migrator.sql(Direction.DOWNGRADE, "c1b85c454f94:9372cec8298d", dialect, server))
                    .contains("DROP INDEX idx_host_event_created ON events;")
                    .doesNotContain("IF EXISTS");
        }
    }

    @Test
    void offlineServer_defaultsToTheNewestOfEachProduct_andAMariaDbVersionStringIsMariaDb() {
        assertThat(dialect.offlineServer("mysql", null)).isEqualTo(ServerInfo.of("MySQL", "8.0"));
        assertThat(dialect.offlineServer("mariadb", null)).isEqualTo(ServerInfo.of("MariaDB", "11.4"));
        assertThat(dialect.offlineServer("mysql", "10.2.11-MariaDB").product()).isEqualTo("MariaDB");
        assertThat(Dialects.byName("mariadb")).isInstanceOf(MySqlDialect.class);
        assertThat(Dialects.forServer(ServerInfo.of("MariaDB", "10.2.11-MariaDB"))).isInstanceOf(MySqlDialect.class);
        assertThat(Dialects.forServer(ServerInfo.of("MySQL", "5.5.5-10.2.11-MariaDB"))).isInstanceOf(MySqlDialect.class);
    }

    @Test
    void pageQueries_perGeneration_tieBreakAndExpandedKeysetPredicate() {
        EventQueries old = new EventQueries(dialect, dialect.offlineServer("mariadb", "10.2"), true);
        EventQueries recent = new EventQueries(dialect, dialect.offlineServer("mysql", "8.0"), true);

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
        assertThat(dialect.sqlDialect(dialect.offlineServer("mariadb", "10.2"))).isEqualTo(SQLDialect.MYSQL);
        assertThat(dialect.sqlDialect(dialect.offlineServer("mariadb", "10.6"))).isEqualTo(SQLDialect.MARIADB);
        assertThat(dialect.sqlDialect(dialect.offlineServer("mysql", "5.7"))).isEqualTo(SQLDialect.MYSQL);
        assertThat(new EventQueries(dialect, dialect.offlineServer("mariadb", "10.5"), false).page.sql())
                .doesNotContain("FETCH").endsWith("LIMIT ? OFFSET ?");
    }

    @Test
    void buildNote_onlyForADescendingIndexOnAServerThatDropsDesc() {
        ServerInfo old = dialect.offlineServer("mariadb", "10.2");
        assertThat(dialect.buildNote(HostEventsRevisions.IDX_HOST_EVENT_CREATED, old))
                .isEqualTo("ascending by design on MariaDB 10.2: it drops DESC");
        assertThat(dialect.buildNote(HostEventsRevisions.IX_EVENTS_HOST_CODE, old)).isNull();
        assertThat(dialect.buildNote(HostEventsRevisions.IDX_HOST_EVENT_CREATED, dialect.offlineServer("mysql", "8.0"))).isNull();
    }
}
