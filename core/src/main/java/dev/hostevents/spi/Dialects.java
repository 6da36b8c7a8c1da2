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
 * Finds dialects on the class path with {@link ServiceLoader}.
 */
public final class Dialects {
    /** Which module to add for a product, for the error message when none handles it. */
    private static final Map<String, String> MODULE_HINT = Map.of(
            "sqlite", "dev.hostevents:hostevents-dialect-sqlite",
            "postgresql", "dev.hostevents:hostevents-dialect-postgres",
            "mysql", "dev.hostevents:hostevents-dialect-mysql",
            "mariadb", "dev.hostevents:hostevents-dialect-mysql",
            "h2", "com.h2database:h2 (the H2 dialect is in hostevents-core)");

    private static volatile List<Dialect> cached;

    private Dialects() {
    }

    /** Every dialect on the class path (loaded once per class loader). */
    public static List<Dialect> available() {
        List<Dialect> all = cached;
        if (all == null) {
            List<Dialect> found = new ArrayList<>();
            ServiceLoader.load(Dialect.class, Dialects.class.getClassLoader()).forEach(found::add);
            found.sort(Comparator.comparing(Dialect::name));
            cached = all = List.copyOf(found);
        }
        return all;
    }

    /** The dialect for a server, the highest-priority one that handles it. */
    public static Dialect forServer(ServerInfo server) {
        return available().stream()
                .filter(d -> d.handles(server))
                .max(Comparator.comparingInt(Dialect::priority))
                .orElseThrow(() -> new UnsupportedDatabaseException("no hostevents dialect handles " + server
                        + " (dialects on the class path: " + names() + "); add " + hint(server.productKey())));
    }

    /** The dialect for the database behind a connection. */
    public static Dialect forConnection(Connection connection) throws SQLException {
        return forServer(ServerInfo.from(connection));
    }

    /** The dialect with this name or alias ({@code h2}, {@code sqlite}, {@code postgres}, {@code mysql}, {@code mariadb}). */
    public static Dialect byName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return available().stream()
                .filter(d -> d.name().equals(key) || d.aliases().contains(key))
                .findFirst()
                .orElseThrow(() -> new UnsupportedDatabaseException("no dialect named '" + key + "' on the class path"
                        + " (available: " + names() + ")" + (MODULE_HINT.containsKey(hintKey(key)) ? "; add " + hint(hintKey(key)) : "")));
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
        List<String> names = available().stream().map(Dialect::name).toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
