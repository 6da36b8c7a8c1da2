package dev.hostevents.spi;

import dev.hostevents.ValidationException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The database product and version a dialect renders for: read from {@link DatabaseMetaData} on a
 * live connection, or named by hand for offline SQL ({@code sql upgrade --dialect mysql
 * --server-version 5.7}).
 *
 * <p>Two kinds of version string meet here. A driver's report is taken as it comes
 * ({@code 15.18 (Debian 15.18-0+deb12u1)}, {@code 5.5.5-10.2.44-MariaDB}, {@code 2.3.232 (2024-08-11)}):
 * {@link #of} reads the first {@code major.minor} out of it in one pass and never fails. A version a
 * person types for offline SQL ends up in a script handed to a DBA, so {@link #requestedVersion} holds
 * it to a strict grammar first.
 *
 * @param product product name as the driver reports it, e.g. {@code "PostgreSQL"}, {@code "SQLite"},
 *     {@code "MariaDB"}; for offline use, the dialect name
 * @param version full version string, e.g. {@code "10.2.11-MariaDB"} or {@code "17.2"}
 * @param major major version, 0 when unknown
 * @param minor minor version, 0 when unknown
 */
public record ServerInfo(String product, String version, int major, int minor) {
    /** Longest version a person may name for offline SQL. */
    public static final int REQUESTED_VERSION_MAX = 64;
    /** What {@link #requestedVersion} says a version must be. */
    public static final String REQUESTED_VERSION_RULE = "must be a version such as 8.0, 5.7.44 or 10.2.11-MariaDB:"
            + " 1 to 4 dot-separated numbers of at most 9 digits, optionally a suffix of letters, digits, '.', '_', '+', '~' or '-'"
            + " after '-', '+' or '~', at most " + REQUESTED_VERSION_MAX + " characters";
    /**
     * Numbers first, so a version always says major (and usually minor); the suffix admits the forms
     * servers print ({@code -MariaDB}, {@code -log}, {@code 5.5.5-10.2.44-MariaDB}) and nothing that
     * can end a SQL comment line or quote. Linear: no nested quantifier can backtrack.
     */
    private static final Pattern REQUESTED = Pattern.compile("[0-9]{1,9}(?:\\.[0-9]{1,9}){0,3}(?:[-+~][A-Za-z0-9._+~-]*)?");
    /** A MariaDB reached through an older protocol reports {@code 5.5.5-<real version>}. */
    private static final String MARIADB_REPLICATION_PREFIX = "5.5.5-";

    public ServerInfo {
        Objects.requireNonNull(product, "product");
        version = version == null ? "" : version;
    }

    /**
     * Builds a server description from a product name and a version string such as {@code "8.0.36"},
     * as a driver reports it: any text is accepted, major and minor are the first {@code N.M} in it
     * (the first number alone when there is no {@code N.M}; 0 when there is none or it does not fit
     * an {@code int}). Linear in the length of {@code version}.
     */
    public static ServerInfo of(String product, String version) {
        int[] mm = parse(version);
        return new ServerInfo(product, version, mm[0], mm[1]);
    }

    /**
     * Reads product and version from the connection's metadata. MariaDB servers reached through an
     * older driver report {@code 5.5.5-10.x}; the {@code 5.5.5-} prefix is skipped when parsing.
     */
    public static ServerInfo from(Connection connection) throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        String product = md.getDatabaseProductName();
        String version = md.getDatabaseProductVersion();
        if (version == null || version.isBlank()) {
            version = md.getDatabaseMajorVersion() + "." + md.getDatabaseMinorVersion();
        }
        return of(product, version);
    }

    /** Lower-case product name, for matching. */
    public String productKey() {
        return product.toLowerCase(Locale.ROOT);
    }

    /** True when this server's version is {@code major.minor} or newer. */
    public boolean isAtLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }

    /**
     * A version a person named for offline SQL ({@code --server-version}), checked against the strict
     * grammar of {@link #REQUESTED_VERSION_RULE} and returned stripped; {@code null} stays {@code null}
     * (the dialect's newest). The check comes before anything else reads the text, so a line break, a
     * quote or a 100,000-digit number never reaches a parser or a rendered script.
     *
     * @throws ValidationException naming {@code server_version} when it breaks the grammar
     */
    public static String requestedVersion(String version) {
        if (version == null) {
            return null;
        }
        String v = version.strip();
        if (v.isEmpty() || v.length() > REQUESTED_VERSION_MAX || !REQUESTED.matcher(v).matches()) {
            throw new ValidationException("server_version", REQUESTED_VERSION_RULE);
        }
        return v;
    }

    /**
     * {major, minor} of the first {@code N.M} in the text, else {first number, 0}, else {0, 0}; one
     * pass over the characters (a regular expression's {@code find} re-read a run of digits from each
     * of its digits: quadratic, and 100,000 nines took minutes).
     */
    private static int[] parse(String version) {
        if (version == null) {
            return new int[] {0, 0};
        }
        String v = version.startsWith(MARIADB_REPLICATION_PREFIX) ? version.substring(MARIADB_REPLICATION_PREFIX.length()) : version;
        int n = v.length();
        int firstNumber = 0;
        boolean seenNumber = false;
        int i = 0;
        while (i < n) {
            if (!isDigit(v.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && isDigit(v.charAt(i))) {
                i++;
            }
            int number = toInt(v, start, i);
            if (!seenNumber) {
                seenNumber = true;
                firstNumber = Math.max(number, 0);
            }
            if (i + 1 < n && v.charAt(i) == '.' && isDigit(v.charAt(i + 1))) {
                int minorStart = i + 1;
                int minorEnd = minorStart;
                while (minorEnd < n && isDigit(v.charAt(minorEnd))) {
                    minorEnd++;
                }
                if (number < 0) {
                    // The N of an N.M that does not fit: not a version we can compare.
                    return new int[] {0, 0};
                }
                int minor = toInt(v, minorStart, minorEnd);
                return new int[] {number, Math.max(minor, 0)};
            }
        }
        return new int[] {firstNumber, 0};
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The decimal number in {@code s[from, to)}, or -1 when it does not fit an {@code int}. */
    private static int toInt(String s, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (s.charAt(i) - '0');
            if (value > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return (int) value;
    }

    @Override
    public String toString() {
        return product + " " + version;
    }
}
