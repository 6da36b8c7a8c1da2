package dev.hostevents.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostevents.UnsupportedDatabaseException;
import org.junit.jupiter.api.Test;

class ServerInfoTest {
    @Test
    void parsesVersions_includingMariaDbsOldDriverPrefix() {
        assertThat(ServerInfo.of("MySQL", "5.5.5-10.2.11-MariaDB")).extracting(ServerInfo::major, ServerInfo::minor)
                .containsExactly(10, 2);
        assertThat(ServerInfo.of("PostgreSQL", "17.2 (Debian)").isAtLeast(17, 0)).isTrue();
        assertThat(ServerInfo.of("MySQL", "8.0.36").isAtLeast(8, 1)).isFalse();
        assertThat(ServerInfo.of("x", "garbage").major()).isZero();
    }

    @Test
    void anUnknownDatabase_namesProductVersionAndTheModuleToAdd() {
        assertThatThrownBy(() -> Dialects.forServer(ServerInfo.of("PostgreSQL", "17.2")))
                .isInstanceOf(UnsupportedDatabaseException.class)
                .hasMessageContaining("PostgreSQL 17.2")
                .hasMessageContaining("hostevents-dialect-postgres");
        assertThatThrownBy(() -> Dialects.byName("oracle")).isInstanceOf(UnsupportedDatabaseException.class)
                .hasMessageContaining("oracle");
    }
}
