package dev.hostevents.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostevents.ValidationException;
import dev.hostevents.spi.TieBreak;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CursorCodecTest {
    private static final byte[] KEY = "0123456789abcdef0123".getBytes(StandardCharsets.UTF_8);
    private final CursorCodec codec = new CursorCodec(KEY);
    private final Instant at = Instant.parse("2025-10-08T20:52:27.123456Z");

    @Test
    void roundTrips_thePositionAtMicrosecondPrecision() {
        String c = codec.encode("host_aaaaaaaa0001", TieBreak.ID_ASC, at, 42);
        assertThat(c).matches("[A-Za-z0-9_-]+").hasSizeLessThanOrEqualTo(CursorCodec.MAX_TEXT);
        assertThat(codec.decode("host_aaaaaaaa0001", TieBreak.ID_ASC, c)).isEqualTo(new CursorCodec.Position(at, 42));
    }

    @Test
    void doesNotCarryTheHostCode() {
        String c = codec.encode("host_aaaaaaaa0001", TieBreak.ID_ASC, at, 42);
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(c), StandardCharsets.ISO_8859_1)).doesNotContain("aaaa");
    }

    @Test
    void rejects_anotherHost_anotherKey_anotherOrder_andEverySingleBitFlip() {
        String c = codec.encode("host_aaaaaaaa0001", TieBreak.ID_ASC, at, 42);
        assertThatThrownBy(() -> codec.decode("host_bbbbbbbb0002", TieBreak.ID_ASC, c)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> new CursorCodec("another-key-of-16b!".getBytes(StandardCharsets.UTF_8))
                .decode("host_aaaaaaaa0001", TieBreak.ID_ASC, c)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> codec.decode("host_aaaaaaaa0001", TieBreak.ID_DESC, c))
                .isInstanceOf(ValidationException.class).hasMessageContaining("different page order");
        byte[] raw = java.util.Base64.getUrlDecoder().decode(c);
        for (int bit = 0; bit < raw.length * 8; bit++) {
            byte[] copy = raw.clone();
            copy[bit / 8] ^= (byte) (1 << (bit % 8));
            String tampered = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(copy);
            assertThatThrownBy(() -> codec.decode("host_aaaaaaaa0001", TieBreak.ID_ASC, tampered))
                    .isInstanceOf(ValidationException.class);
        }
    }
}
