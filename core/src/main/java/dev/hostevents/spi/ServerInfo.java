package dev.hostevents.spi;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database product and version a dialect renders for: read from {@link DatabaseMetaData} on a
 * live connection, or named by hand for offline SQL ({@code sql upgrade --dialect mysql
 * --server-version 5.7}).
 *
 * @param product product name as the driver reports it, e.g. {@code "PostgreSQL"}, {@code "SQLite"},
 *     {@code "MariaDB"}; for offline use, the dialect name
 * @param version full version string, e.g. {@code "10.2.11-MariaDB"} or {@code "17.2"}
 * @param major major version, 0 when unknown
 * @param minor minor version, 0 when unknown
 */
public record ServerInfo(String product, String version, int major, int minor) {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

    public ServerInfo {
        Objects.requireNonNull(product, "product");
        version = version == null ? "" : version;
    }

    /** Builds a server description from a product name and a version string such as {@code "8.0.36"}. */
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

    private static int[] parse(String version) {
        if (version == null) {
            return new int[] {0, 0};
        }
        String v = version.startsWith("5.5.5-") ? version.substring(6) : version;
        Matcher m = VERSION.matcher(v);
        if (m.find()) {
            return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
        }
        Matcher single = Pattern.compile("(\\d+)").matcher(v);
        return single.find() ? new int[] {Integer.parseInt(single.group(1)), 0} : new int[] {0, 0};
    }

    @Override
    public String toString() {
        return product + " " + version;
    }
}
