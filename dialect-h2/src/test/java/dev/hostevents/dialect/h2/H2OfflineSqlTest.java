package dev.hostevents.dialect.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostevents.ValidationException;
import dev.hostevents.migration.Direction;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.Dialects;
import org.junit.jupiter.api.Test;

/** Offline SQL rendered for H2, no connection. */
class H2OfflineSqlTest {

    @Test
    void offlineSql_forH2_showsTheCompositeIndexWithDesc_andAlembicsVersionUpdates() {
        var h2 = Dialects.offline("h2", null);
        String sql = Migrator.sql(Direction.UPGRADE, "9372cec8298d:head", h2);
        assertThat(sql).contains("-- Running upgrade 9372cec8298d -> c1b85c454f94, add_composite_index_host_code_created_at")
                .contains("CREATE INDEX idx_host_event_created ON events(host_code, created_at DESC);")
                .contains("UPDATE alembic_version SET version_num = 'c1b85c454f94' WHERE version_num = '9372cec8298d';")
                .doesNotContain("CREATE TABLE");
        String down = Migrator.sql(Direction.DOWNGRADE, "head:9372cec8298d", h2);
        assertThat(down).contains("DROP INDEX idx_host_event_created");
        assertThatThrownBy(() -> Migrator.sql(Direction.UPGRADE, "head:base", h2))
                .isInstanceOf(ValidationException.class);
    }
}
