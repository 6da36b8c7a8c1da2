package dev.hostevents.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostevents.UnknownRevisionException;
import dev.hostevents.ValidationException;
import dev.hostevents.spi.Dialects;
import org.junit.jupiter.api.Test;

class RevisionChainTest {
    private final RevisionChain chain = RevisionChain.builtIn();

    @Test
    void builtInChain_isTheOriginalAlembicChain() {
        assertThat(chain.revisions()).extracting(Revision::id).containsExactly("9372cec8298d", "c1b85c454f94");
        assertThat(chain.head().downRevision()).isEqualTo("9372cec8298d");
        assertThat(chain.head().message()).isEqualTo("add_composite_index_host_code_created_at");
        assertThat(chain.revisions().get(0).downRevision()).isNull();
    }

    @Test
    void resolve_understandsAlembicTargets() {
        assertThat(chain.resolve("head", null)).isEqualTo(1);
        assertThat(chain.resolve("base", "c1b85c454f94")).isEqualTo(-1);
        assertThat(chain.resolve("-1", "c1b85c454f94")).isEqualTo(0);
        assertThat(chain.resolve("+1", null)).isEqualTo(0);
        assertThat(chain.resolve("c1b8", null)).isEqualTo(1);
        assertThatThrownBy(() -> chain.resolve("+3", null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> chain.resolve("abcdef", null)).isInstanceOf(UnknownRevisionException.class);
        assertThatThrownBy(() -> chain.resolve("head", "ffffffffffff")).isInstanceOf(UnknownRevisionException.class);
    }

    @Test
    void append_mustFollowTheHead() {
        Revision orphan = Revision.builder("x1", "m").downRevision("9372cec8298d")
                .upgrade(MigrationStep.of("noop", ctx -> ctx.dsl().query("SELECT 1"))).build();
        assertThatThrownBy(() -> chain.append(orphan)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void offlineSql_forH2_showsTheCompositeIndexWithDesc_andAlembicsVersionUpdates() {
        var h2 = Dialects.byName("h2");
        String sql = Migrator.sql(Direction.UPGRADE, "9372cec8298d:head", h2, h2.offlineServer("h2", null));
        assertThat(sql).contains("-- Running upgrade 9372cec8298d -> c1b85c454f94, add_composite_index_host_code_created_at")
                .contains("CREATE INDEX idx_host_event_created ON events(host_code, created_at DESC);")
                .contains("UPDATE alembic_version SET version_num = 'c1b85c454f94' WHERE version_num = '9372cec8298d';")
                .doesNotContain("CREATE TABLE");
        String down = Migrator.sql(Direction.DOWNGRADE, "head:9372cec8298d", h2, h2.offlineServer("h2", null));
        assertThat(down).contains("DROP INDEX idx_host_event_created");
        assertThatThrownBy(() -> Migrator.sql(Direction.UPGRADE, "head:base", h2, h2.offlineServer("h2", null)))
                .isInstanceOf(ValidationException.class);
    }
}
