package dev.hostevents.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.dialect.mysql.MariaDbServer;
import dev.hostevents.dialect.postgres.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link PostgresExample} and {@link MySqlExample}: against real servers, the embedded PostgreSQL and
 * MariaDB 11.4 of the dialect modules' test support (their test-jars), and the one-line refusal when
 * the environment names no server.
 */
class ServerExamplesTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.instance();

    @Test
    void postgresExample_runsTheTour_onARealPostgres() throws Exception {
        PGSimpleDataSource db = POSTGRES.newDatabase().unwrap(PGSimpleDataSource.class);

        Output o = run(PostgresExample::run, Map.of("HOSTEVENTS_URL", db.getURL(), "HOSTEVENTS_USER", db.getUser(),
                "HOSTEVENTS_PASSWORD", db.getPassword() == null ? "" : db.getPassword()));

        assertThat(o.exitCode()).as(o.toString()).isZero();
        assertTour(o.out());
        assertThat(o.out()).last().asString().startsWith("Plan of the page query on PostgreSQL ");
    }

    @Test
    void mySqlExample_runsTheTour_onARealMariaDb() {
        MariaDbServer server = MariaDbServer.NEW;
        String url = server.url(server.newDatabaseName(), MariaDbServer.Driver.MARIADB);

        // The URL carries the user (root on the embedded server).
        Output o = run(MySqlExample::run, Map.of("HOSTEVENTS_URL", url));

        assertThat(o.exitCode()).as(o.toString()).isZero();
        assertTour(o.out());
        assertThat(o.out()).last().asString().startsWith("Plan of the page query on MariaDB ");
    }

    @Test
    void withoutHosteventsUrl_bothExamples_refuseInOneLine() {
        for (Example example : List.<Example>of(PostgresExample::run, MySqlExample::run)) {
            for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("HOSTEVENTS_URL", "jdbc:sqlite:x.db"))) {
                Output o = run(example, env);

                assertThat(o.exitCode()).isEqualTo(1);
                assertThat(o.out()).isEmpty();
                assertThat(o.err()).singleElement().asString().startsWith("error: set HOSTEVENTS_URL to a ");
            }
        }
    }

    @Test
    void anUnreachableServer_isOneErrorLine() {
        Output pg = run(PostgresExample::run, Map.of("HOSTEVENTS_URL", "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2"));
        Output my = run(MySqlExample::run, Map.of("HOSTEVENTS_URL", "jdbc:mariadb://127.0.0.1:1/none?connectTimeout=2000"));

        for (Output o : List.of(pg, my)) {
            assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
            assertThat(o.err()).as(o.toString()).singleElement().asString().startsWith("error: ");
        }
    }

    private static void assertTour(List<String> out) {
        assertThat(out).containsSubsequence(
                "  offset 0: Office hours | Quarterly review | Team retro",
                "  offset 6: Town hall Q&A",
                "  page 1:   Office hours | Quarterly review | Team retro",
                "  page 3:   Town hall Q&A",
                "Host B has 3 events; host A's pages never show them.");
        assertThat(out.get(0)).isEqualTo("Running upgrade  -> 9372cec8298d, Initial schema");
    }

    /** An example's {@code run(env, out, err)}. */
    @FunctionalInterface
    interface Example {
        int run(Map<String, String> env, PrintStream out, PrintStream err);
    }

    record Output(int exitCode, List<String> out, List<String> err) {
    }

    private static Output run(Example example, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = example.run(env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(code, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
