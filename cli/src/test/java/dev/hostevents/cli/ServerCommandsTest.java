package dev.hostevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.dialect.mysql.MariaDbServer;
import dev.hostevents.dialect.postgres.PostgresExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The same commands as on SQLite, through {@code --url}, against real servers: the embedded PostgreSQL
 * 17 and MariaDB 11.4 of the dialect modules' test support (their test-jars). The password comes
 * through {@code --password-env}.
 */
class ServerCommandsTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.instance();

    @TempDir
    Path dir;

    @Test
    void theCommands_onARealPostgres() throws Exception {
        // A database owned by a user of its own, with a password, so --password-env has one to give.
        PGSimpleDataSource db = POSTGRES.server().createDatabaseWithOwner("pg-secret-1").unwrap(PGSimpleDataSource.class);

        runTheCommands("PostgreSQL", "--url", db.getURL(), "--user", db.getUser(), "--password-env", "HE_PW");
    }

    @Test
    void theCommands_onARealMariaDb() {
        MariaDbServer server = MariaDbServer.NEW;
        String url = server.url(server.newDatabaseName(), MariaDbServer.Driver.MARIADB);

        runTheCommands("MariaDB", "--url", url, "--user", "root", "--password-env", "HE_PW");
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
        CliRun.Result r = CliRun.in(dir, Map.of("HE_PW", password(product),
                "HOSTEVENTS_CURSOR_KEY", EventCommandsTest.KEY.get("HOSTEVENTS_CURSOR_KEY")), args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
        return r;
    }

    /** The password reaches the driver through --password-env (the embedded servers accept local logins without checking it). */
    private static String password(String product) {
        return product.equals("PostgreSQL") ? "pg-secret-1" : "any";
    }

    private static String[] with(String[] connection, String... command) {
        return Stream.concat(Stream.of(command), Stream.of(connection)).toArray(String[]::new);
    }
}
