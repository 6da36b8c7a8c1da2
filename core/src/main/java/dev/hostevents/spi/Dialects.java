package dev.hostevents.spi;

import dev.hostevents.UnsupportedDatabaseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds {@link DialectProvider}s on the class path with {@link ServiceLoader} and binds them:
 * recognise once ({@link #forServer}, {@link #byName}), bind once ({@link #forConnection},
 * {@link #offline}).
 */
public final class Dialects {
    /** Which module to add for a product, for the error message when none handles it. */
    private static final Map<String, String> MODULE_HINT = Map.of(
            "sqlite", "dev.hostevents:hostevents-dialect-sqlite",
            "postgresql", "dev.hostevents:hostevents-dialect-postgres",
            "mysql", "dev.hostevents:hostevents-dialect-mysql",
            "mariadb", "dev.hostevents:hostevents-dialect-mysql",
            "h2", "dev.hostevents:hostevents-dialect-h2");

    private static volatile List<DialectProvider> cached;

    private Dialects() {
    }

    /** Every provider on the class path (loaded once per class loader), by name. */
    public static List<DialectProvider> available() {
        List<DialectProvider> all = cached;
        if (all == null) {
            List<DialectProvider> found = new ArrayList<>();
            ServiceLoader.load(DialectProvider.class, Dialects.class.getClassLoader()).forEach(found::add);
            found.sort(Comparator.comparing(DialectProvider::name));
            cached = all = List.copyOf(found);
        }
        return all;
    }

    /**
     * The provider for a server, the highest-priority one that handles it.
     *
     * @throws UnsupportedDatabaseException naming the product and the module to add when none does
     */
    public static DialectProvider forServer(ServerInfo server) {
        return available().stream()
                .filter(d -> d.handles(server))
                .max(Comparator.comparingInt(DialectProvider::priority))
                .orElseThrow(() -> new UnsupportedDatabaseException("no hostevents dialect handles " + server
                        + " (dialects on the class path: " + names() + "); add " + hint(server.productKey())));
    }

    /** The dialect for the database behind a connection, bound to its server. */
    public static Dialect forConnection(Connection connection) throws SQLException {
        return forConnection(connection, null);
    }

    /**
     * The dialect of {@code provider} (or the one picked from the metadata when it is {@code null}),
     * bound to the server behind the connection.
     */
    public static Dialect forConnection(Connection connection, DialectProvider provider) throws SQLException {
        DialectProvider chosen = provider != null ? provider : forServer(ServerInfo.from(connection));
        return chosen.bind(connection);
    }

    /**
     * The provider with this name or alias ({@code h2}, {@code sqlite}, {@code postgres}, {@code mysql},
     * {@code mariadb}).
     *
     * @throws UnsupportedDatabaseException listing the available names when none matches
     */
    public static DialectProvider byName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return available().stream()
                .filter(d -> d.name().equals(key) || d.aliases().contains(key))
                .findFirst()
                .orElseThrow(() -> new UnsupportedDatabaseException("no dialect named '" + key + "' on the class path"
                        + " (available: " + names() + ")" + (MODULE_HINT.containsKey(hintKey(key)) ? "; add " + hint(hintKey(key)) : "")));
    }

    /**
     * The dialect named {@code alias}, bound to the server it names for {@code version} (offline SQL,
     * no connection).
     *
     * @param version e.g. {@code 5.7}, or {@code null} for the dialect's newest; a person's input, so it
     *     must follow {@link ServerInfo#requestedVersion}'s grammar
     * @throws dev.hostevents.ValidationException naming {@code server_version} when it does not
     */
    public static Dialect offline(String alias, String version) {
        String checked = ServerInfo.requestedVersion(version);
        DialectProvider provider = byName(alias);
        return provider.bind(provider.offlineServer(alias.trim().toLowerCase(Locale.ROOT), checked));
    }

    private static String hintKey(String name) {
        return name.equals("postgres") ? "postgresql" : name;
    }

    private static String hint(String productKey) {
        return MODULE_HINT.entrySet().stream()
                .filter(e -> productKey.contains(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("a dialect module for this database (none exists yet)");
    }

    private static String names() {
        List<String> names = available().stream().map(DialectProvider::name).toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
