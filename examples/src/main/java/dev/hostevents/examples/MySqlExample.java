package dev.hostevents.examples;

import com.mysql.cj.jdbc.MysqlDataSource;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * The quick start's flow ({@link PagingTour}) against a MySQL or MariaDB server named by the
 * environment: {@code HOSTEVENTS_URL} ({@code jdbc:mariadb://localhost:3306/hostevents} uses the
 * MariaDB driver, {@code jdbc:mysql://localhost:3306/hostevents} MySQL Connector/J; either talks to
 * both servers), and optionally {@code HOSTEVENTS_USER} and {@code HOSTEVENTS_PASSWORD}. The dialect sees whether
 * the server keeps {@code DESC} in an index (MySQL 8+, MariaDB 10.8+) or drops it, and picks the page
 * order's tie-break to match.
 *
 * <pre>{@code
 * HOSTEVENTS_URL=jdbc:mariadb://localhost:3306/hostevents HOSTEVENTS_USER=me HOSTEVENTS_PASSWORD=... \
 *   mvn -B -q -pl examples -am package -DskipTests -Dexample=MySqlExample
 * }</pre>
 */
public final class MySqlExample {
    private MySqlExample() {
    }

    /** Runs the example; exits 1 with one line on stderr when the environment names no MySQL/MariaDB server. */
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
        if (url == null || !(url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:"))) {
            err.println("error: set HOSTEVENTS_URL to a MySQL or MariaDB JDBC URL, e.g. jdbc:mariadb://localhost:3306/hostevents"
                    + " (and HOSTEVENTS_USER, HOSTEVENTS_PASSWORD if the server needs them)");
            return 1;
        }
        String user = env.get("HOSTEVENTS_USER");
        String password = env.get("HOSTEVENTS_PASSWORD");
        DataSource dataSource;
        try {
            if (url.startsWith("jdbc:mysql:")) {
                MysqlDataSource mysql = new MysqlDataSource();
                mysql.setURL(url);
                if (user != null) {
                    mysql.setUser(user);
                }
                if (password != null) {
                    mysql.setPassword(password);
                }
                dataSource = mysql;
            } else {
                MariaDbDataSource mariadb = new MariaDbDataSource(url);
                if (user != null) {
                    mariadb.setUser(user);
                }
                if (password != null) {
                    mariadb.setPassword(password);
                }
                dataSource = mariadb;
            }
        } catch (SQLException e) {
            err.println("error: " + Examples.oneLine(e.getMessage()));
            return 1;
        }
        return Examples.runTour(dataSource, out, err);
    }
}
