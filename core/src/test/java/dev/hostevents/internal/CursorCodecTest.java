package dev.hostevents.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostevents.ValidationException;
import dev.hostevents.spi.TieBreak;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
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

    @Test
    void aPositionOutsideWhatDatabasesStore_isRejectedAsACursorError_evenWithAValidMac() {
        List<CursorCodec.Position> outside = List.of(
                new CursorCodec.Position(Instant.parse("+10000-01-01T00:00:00Z"), 42),
                new CursorCodec.Position(Instant.parse("0000-12-31T23:59:59.999999Z"), 42),
                new CursorCodec.Position(Instant.parse("-0001-06-01T00:00:00Z"), 42),
                new CursorCodec.Position(at, 0),
                new CursorCodec.Position(at, -1),
                new CursorCodec.Position(at, Long.MIN_VALUE));
        for (CursorCodec.Position p : outside) {
            String c = codec.encode("host_aaaaaaaa0001", TieBreak.ID_ASC, p.createdAt(), p.id());
            assertThatThrownBy(() -> codec.decode("host_aaaaaaaa0001", TieBreak.ID_ASC, c)).as("%s", p)
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("cursor"))
                    .hasMessageContaining("start again from the first page");
        }
    }

    @Test
    void theEdgesOfTheRange_areAccepted() {
        for (CursorCodec.Position p : List.of(new CursorCodec.Position(Instant.parse("0001-01-01T00:00:00Z"), 1),
                new CursorCodec.Position(Instant.parse("9999-12-31T23:59:59.999999Z"), Long.MAX_VALUE))) {
            String c = codec.encode("host_aaaaaaaa0001", TieBreak.ID_DESC, p.createdAt(), p.id());
            assertThat(codec.decode("host_aaaaaaaa0001", TieBreak.ID_DESC, c)).isEqualTo(p);
        }
    }
}
