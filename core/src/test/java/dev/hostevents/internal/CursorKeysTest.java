package dev.hostevents.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hostevents.EventStore;
import dev.hostevents.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CursorKeysTest {
    private static final byte[] RAW = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void base64Setting_decodes_inEitherAlphabet_withOrWithoutPadding_whitespaceIgnored() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 37 + 250);
        }
        String standard = Base64.getEncoder().encodeToString(key);
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(key);

        assertThat(CursorKeys.parse("base64:" + standard, null)).isEqualTo(key);
        assertThat(CursorKeys.parse("  base64:" + urlSafe + "\n", null)).isEqualTo(key);
    }

    @Test
    void textSetting_isItsUtf8Bytes_fromSixteenBytesOn() {
        assertThat(CursorKeys.parse("0123456789abcdef0123456789abcdef", null)).isEqualTo(RAW);
        assertThat(CursorKeys.parse("sixteen-bytes-ok", null)).hasSize(16);
        // Not base64 without the prefix: a passphrase that happens to be valid base64 stays text.
        assertThat(CursorKeys.parse("QUFBQUFBQUFBQUFBQUFBQQ==", null)).hasSize(24);
    }

    @Test
    void malformedSettings_areValidationErrorsNamingCursorKey_thatNeverRepeatTheValue() {
        for (String bad : new String[] {"", "   ", "fifteen-bytes!!", "base64:c2hvcnQ=", "base64:not base64 at all!!", "base64:"}) {
            ValidationException e = catchThrowableOfType(ValidationException.class,
                    () -> CursorKeys.parse(bad, "environment variable " + EventStore.CURSOR_KEY_ENVIRONMENT));
            assertThat(e).as("'%s'", bad).isNotNull();
            assertThat(e.field()).isEqualTo("cursor_key");
            assertThat(e.getMessage()).startsWith("cursor key ").contains("HOSTEVENTS_CURSOR_KEY");
            if (!bad.isBlank() && !bad.equals("base64:")) {
                assertThat(e.getMessage()).doesNotContain(bad.substring(bad.indexOf(':') + 1));
            }
        }
    }

    @Test
    void theSystemProperty_winsOverTheEnvironment_andNeitherMeansNotConfigured() {
        Map<String, String> property = Map.of(EventStore.CURSOR_KEY_PROPERTY, "property-key-0123456");
        Map<String, String> environment = Map.of(EventStore.CURSOR_KEY_ENVIRONMENT, "environment-key-0123");

        assertThat(CursorKeys.configured(property::get, environment::get)).hasValueSatisfying(
                k -> assertThat(new String(k, StandardCharsets.UTF_8)).isEqualTo("property-key-0123456"));
        assertThat(CursorKeys.configured(Map.<String, String>of()::get, environment::get)).hasValueSatisfying(
                k -> assertThat(new String(k, StandardCharsets.UTF_8)).isEqualTo("environment-key-0123"));
        assertThat(CursorKeys.configured(Map.<String, String>of()::get, Map.<String, String>of()::get)).isEmpty();
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> CursorKeys.configured(Map.of(EventStore.CURSOR_KEY_PROPERTY, "short")::get, environment::get));
        assertThat(e.getMessage()).contains("system property hostevents.cursor-key").doesNotContain("short");
    }

    @Test
    void theJvmKey_isRandom32Bytes_theSameForEveryStoreInTheJvm_andNotTheOldPublicKey() {
        byte[] key = CursorKeys.jvmKey();

        assertThat(key).hasSize(32).isEqualTo(CursorKeys.jvmKey()).isNotEqualTo(new byte[32])
                .isNotEqualTo("hostevents-cursor-key-v1".getBytes(StandardCharsets.UTF_8));
        key[0] ^= 1;
        assertThat(CursorKeys.jvmKey()).as("a copy each time").isNotEqualTo(key);
    }
}
