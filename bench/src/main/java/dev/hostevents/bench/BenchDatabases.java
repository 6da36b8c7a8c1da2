package dev.hostevents.bench;

import dev.hostevents.spi.DialectProvider;
import dev.hostevents.spi.Dialects;
import java.util.ArrayList;
import java.util.List;

/** The engines the report knows, by the key used on the command line. */
final class BenchDatabases {
    private BenchDatabases() {
    }

    /**
     * The default engines: SQLite (the main database) when its dialect is on the class path,
     * else H2 so the harness still runs.
     */
    static List<String> defaults(DataSpec spec) {
        List<String> keys = new ArrayList<>();
        keys.add(hasDialect("sqlite") ? "sqlite" : "h2");
        // The servers take minutes to load at full size: only the full report runs them by default.
        if (spec.label().equals("full") && hasClass("dev.hostevents.dialect.postgres.PostgresExtension")) {
            keys.add("postgres");
        }
        if (spec.label().equals("full") && hasClass("dev.hostevents.dialect.mysql.MariaDbServer")) {
            keys.add("mariadb-old");
            keys.add("mariadb-new");
        }
        return keys;
    }

    /** Opens an engine; servers start here. */
    static BenchDatabase open(String key) {
        return switch (key) {
            case "sqlite" -> new SqliteBenchDatabase();
            case "h2" -> new H2BenchDatabase();
            case "postgres" -> new PostgresBenchDatabase();
            case "mariadb-old" -> new MariaDbBenchDatabase(false);
            case "mariadb-new" -> new MariaDbBenchDatabase(true);
            default -> throw new IllegalArgumentException("unknown database " + key
                    + " (known: sqlite, postgres, mariadb-old, mariadb-new, h2)");
        };
    }

    /** True for the engines that get every comparison; servers get items 1, 3 and 5 of the issue. */
    static boolean isPrimary(String key) {
        return key.equals("sqlite") || key.equals("h2");
    }

    private static boolean hasClass(String name) {
        try {
            Class.forName(name, false, BenchDatabases.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static boolean hasDialect(String name) {
        return Dialects.available().stream().map(DialectProvider::name).anyMatch(name::equals);
    }
}
