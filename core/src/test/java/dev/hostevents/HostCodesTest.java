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
    void normalize_rejectsEveryNonAsciiCharacter_evenOneThatLowerCasesToAnAsciiLetter() {
        // U+212A KELVIN SIGN lower-cases to 'k': folded first, it would reach host_nsg1rkzry5ot.
        assertThatThrownBy(() -> HostCodes.normalize("host_nsg1r\u212Azry5ot"))
                .isInstanceOf(ValidationException.class).hasMessageNotContaining("nsg1r");
        int accepted = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String code = "host_abcdefghijk" + new String(Character.toChars(cp));
            boolean ascii = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
            try {
                HostCodes.normalize(code);
                assertThat(ascii).as("accepted code point U+%04X", cp).isTrue();
                accepted++;
            } catch (ValidationException e) {
                assertThat(ascii).as("rejected code point U+%04X", cp).isFalse();
            }
        }
        assertThat(accepted).isEqualTo(62);
    }

    @Test
    void aPlanReport_masksHostCodesInItsPlanAndVerdict_whoeverMadeIt() {
        var report = dev.hostevents.spi.PlanReport.of("Index Cond: ((host_code)::text = 'host_abcdef123456'::text)",
                "idx_host_event_created", false, true, "plan: host_abcdef123456");
        assertThat(report.plan()).doesNotContain("abcdef123456").contains("host_********3456");
        assertThat(report.verdict()).doesNotContain("abcdef123456");
        assertThat(report.toString()).doesNotContain("abcdef123456");
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
