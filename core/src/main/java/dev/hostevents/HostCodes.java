package dev.hostevents;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Host codes: {@code host_} followed by 12 lower-case letters or digits. They are credentials, so
 * this class also masks them for display ({@code host_********wxyz}).
 */
public final class HostCodes {
    /** The rule, as error messages state it. */
    public static final String RULE = "must be 'host_' followed by 12 lowercase letters or digits";
    /**
     * What a caller may pass: ASCII only, either case. Checked before folding case, because
     * {@code toLowerCase} maps non-ASCII letters onto ASCII ones (U+212A KELVIN SIGN becomes
     * {@code k}), which would let two different inputs reach one host.
     */
    private static final Pattern INPUT = Pattern.compile("^[Hh][Oo][Ss][Tt]_[A-Za-z0-9]{12}$");
    private static final Pattern ANYWHERE = Pattern.compile("(?i)host_[a-z0-9]{8}([a-z0-9]{4})");
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private HostCodes() {
    }

    /**
     * Trims a host code, checks its form (ASCII letters and digits, either case) and lower-cases it.
     *
     * @throws ValidationException naming {@code host_code} when it is missing or malformed
     */
    public static String normalize(String hostCode) {
        if (hostCode == null) {
            throw new ValidationException("host_code", "is required");
        }
        String code = hostCode.strip();
        if (!INPUT.matcher(code).matches()) {
            throw new ValidationException("host_code", RULE);
        }
        return code.toLowerCase(Locale.ROOT);
    }

    /** A new random host code from {@link SecureRandom}. */
    public static String generate() {
        char[] out = new char[12];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return "host_" + new String(out);
    }

    /** {@code host_********wxyz}: enough to tell two hosts apart in a log, not enough to act as one. */
    public static String mask(String hostCode) {
        if (hostCode == null) {
            return "null";
        }
        String code = hostCode.strip();
        return code.length() >= 4 ? "host_********" + code.substring(code.length() - 4) : "host_********";
    }

    /** Masks every host code inside a text (e.g. a driver's error message) before it is shown. */
    public static String maskAll(String text) {
        return text == null ? null : ANYWHERE.matcher(text).replaceAll("host_********$1");
    }
}
