package dev.hostevents.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostevents.migration.UnknownRevisionException;
import dev.hostevents.ValidationException;
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
        assertThatThrownBy(() -> chain.append(orphan)).isInstanceOf(dev.hostevents.ValidationException.class);
    }
}
