package dev.hostevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostCodesTest {
    @Test
    void normalize_trimsAndLowerCases_andRejectsWithoutEchoingTheValue() {
        assertThat(HostCodes.normalize(" HOST_ABCDEF123456\n")).isEqualTo("host_abcdef123456");
        assertThatThrownBy(() -> HostCodes.normalize("host_abcdef12345X!"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("host code must be 'host_' followed by 12 lowercase letters or digits")
                .hasMessageNotContaining("abcdef");
    }

    @Test
    void generate_hasTheFormat_andNoCollisionsInALargeSample() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            String code = HostCodes.generate();
            assertThat(code).matches("^host_[a-z0-9]{12}$");
            assertThat(seen.add(code)).isTrue();
        }
    }

    @Test
    void mask_showsOnlyTheLastFour_andMaskAllFindsCodesInText() {
        assertThat(HostCodes.mask("host_abcdef123456")).isEqualTo("host_********3456");
        assertThat(HostCodes.maskAll("key (host_code)=(host_abcdef123456) and HOST_ABCDEF999999"))
                .isEqualTo("key (host_code)=(host_********3456) and host_********9999");
    }
}
