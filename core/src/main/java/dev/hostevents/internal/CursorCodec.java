package dev.hostevents.internal;

import dev.hostevents.ValidationException;
import dev.hostevents.spi.TieBreak;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque keyset cursors: {@code base64url(version | created_at micros | id | mac)}, where the MAC is
 * an HMAC-SHA256 (truncated to 12 bytes) over the position <em>and the host code</em>. The host code
 * itself is not in the cursor. So a cursor that was altered, truncated or replayed on another host
 * fails the MAC and is rejected with one clear message; and even a forged one could only move within
 * the requesting host's own rows, because the page query always filters by the host code given. A
 * decoded position is range-checked before it reaches SQL.
 */
public final class CursorCodec {
    private static final int MAC_BYTES = 12;
    private static final int LENGTH = 1 + 8 + 8 + MAC_BYTES;
    /** Longest text we even try to decode. */
    public static final int MAX_TEXT = 64;
    /** Oldest and newest {@code created_at} a cursor may carry: years 0001–9999, what every supported database stores. */
    private static final long MIN_MICROS = Micros.of(Instant.parse("0001-01-01T00:00:00Z"));
    private static final long MAX_MICROS = Micros.of(Instant.parse("9999-12-31T23:59:59.999999Z"));
    private static final String OUT_OF_RANGE = "points outside the range of stored events (created_at in years 0001-9999,"
            + " id above 0); start again from the first page";
    private static final String INVALID = "is not a valid cursor for this host (altered, truncated or from another host); start again from the first page";

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    /** @param secret HMAC key; a store's cursors are valid on every store built with the same key */
    public CursorCodec(byte[] secret) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("cursor key must be at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** A cursor's decoded position. */
    public record Position(Instant createdAt, long id) {
    }

    public String encode(String hostCode, TieBreak order, Instant createdAt, long id) {
        ByteBuffer buf = ByteBuffer.allocate(LENGTH);
        buf.put(version(order)).putLong(Micros.of(createdAt)).putLong(id);
        buf.put(mac(buf.array(), 17, hostCode));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
    }

    public Position decode(String hostCode, TieBreak order, String cursor) {
        if (cursor.length() > MAX_TEXT) {
            throw new ValidationException("cursor", INVALID);
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("cursor", INVALID);
        }
        if (raw.length != LENGTH) {
            throw new ValidationException("cursor", INVALID);
        }
        byte[] expected = mac(raw, 17, hostCode);
        byte[] actual = java.util.Arrays.copyOfRange(raw, 17, LENGTH);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new ValidationException("cursor", INVALID);
        }
        if (raw[0] != version(order)) {
            throw new ValidationException("cursor", "was made for a different page order (the database changed); start again from the first page");
        }
        ByteBuffer buf = ByteBuffer.wrap(raw, 1, 16);
        long micros = buf.getLong();
        long id = buf.getLong();
        // Only a holder of the key gets here with a position of its choosing; still, never hand the
        // database a time it cannot bind (PostgreSQL fails on year 10000) or an id no row has.
        if (micros < MIN_MICROS || micros > MAX_MICROS || id <= 0) {
            throw new ValidationException("cursor", OUT_OF_RANGE);
        }
        return new Position(Micros.toInstant(micros), id);
    }

    private static byte version(TieBreak order) {
        return (byte) (order == TieBreak.ID_ASC ? 1 : 2);
    }

    private byte[] mac(byte[] data, int len, String hostCode) {
        Mac mac = macs.get();
        mac.update(data, 0, len);
        byte[] full = mac.doFinal(hostCode.getBytes(StandardCharsets.UTF_8));
        return java.util.Arrays.copyOf(full, MAC_BYTES);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
