package dev.hostevents.internal;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Attendee join codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), from
 * {@link SecureRandom}: 31^8 ≈ 8.5e11 codes, so collisions are rare and retried.
 */
public final class ShortCodes {
    public static final int LENGTH = 8;
    private static final char[] ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();
    private static final Pattern PATTERN = Pattern.compile("^[A-Z0-9]{4,20}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ShortCodes() {
    }

    /**
     * A new code from one 63-bit draw: 31^8 ≈ 8.5e11 codes, so reducing the draw modulo 31 eight times
     * is uniform to within 1e-7. One draw instead of eight: each {@code SecureRandom} call costs about
     * half a microsecond, and a write allocates one or two codes.
     */
    public static String generate() {
        char[] out = new char[LENGTH];
        long bits = RANDOM.nextLong() >>> 1;
        for (int i = 0; i < LENGTH; i++) {
            out[i] = ALPHABET[(int) (bits % ALPHABET.length)];
            bits /= ALPHABET.length;
        }
        return new String(out);
    }

    /** Trimmed, upper-cased code, or {@code null} when it cannot be a short code (look-ups then find nothing). */
    public static String normalizeForLookup(String code) {
        if (code == null) {
            return null;
        }
        String c = code.strip().toUpperCase(Locale.ROOT);
        return PATTERN.matcher(c).matches() ? c : null;
    }
}
