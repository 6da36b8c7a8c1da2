package dev.hostevents.examples;

import java.io.PrintStream;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The quick start's flow ({@link PagingTour}) against a PostgreSQL server named by the environment:
 * {@code HOSTEVENTS_URL} (e.g. {@code jdbc:postgresql://localhost:5432/hostevents}), and optionally
 * {@code HOSTEVENTS_USER} and {@code HOSTEVENTS_PASSWORD}.
 *
 * <pre>{@code
 * HOSTEVENTS_URL=jdbc:postgresql://localhost:5432/hostevents HOSTEVENTS_USER=me HOSTEVENTS_PASSWORD=... \
 *   mvn -B -q -pl examples -am package -DskipTests -Dexample=PostgresExample
 * }</pre>
 */
public final class PostgresExample {
    private PostgresExample() {
    }

    /** Runs the example; exits 1 with one line on stderr when the environment names no PostgreSQL server. */
    public static void main(String[] args) {
        int code = run(System.getenv(), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the example with the given environment.
     *
     * @return 0, or 1 after printing one line on {@code err}
     */
    public static int run(Map<String, String> env, PrintStream out, PrintStream err) {
        String url = env.get("HOSTEVENTS_URL");
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            err.println("error: set HOSTEVENTS_URL to a PostgreSQL JDBC URL, e.g. jdbc:postgresql://localhost:5432/hostevents"
                    + " (and HOSTEVENTS_USER, HOSTEVENTS_PASSWORD if the server needs them)");
            return 1;
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        if (env.get("HOSTEVENTS_USER") != null) {
            dataSource.setUser(env.get("HOSTEVENTS_USER"));
        }
        if (env.get("HOSTEVENTS_PASSWORD") != null) {
            dataSource.setPassword(env.get("HOSTEVENTS_PASSWORD"));
        }
        return Examples.runTour(dataSource, out, err);
    }
}
