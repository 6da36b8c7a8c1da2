package dev.hostevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real executable jar, {@code java -jar cli/target/hostevents-cli.jar}, as a child process in an
 * empty folder: what a user runs after {@code mvn package}. Runs in {@code integration-test}, after
 * the jar is built.
 */
class HostEventsCliIT {
    private static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void findJar() {
        String path = System.getProperty("hostevents.cli.jar", "target/hostevents-cli.jar");
        jar = Path.of(path).toAbsolutePath();
        assertThat(jar).as("the shaded jar is built in package, before integration-test").isRegularFile();
    }

    @Test
    void theMigrationCommands_onTheDefaultSqliteFile_inAnEmptyFolder() throws Exception {
        Run up = run("upgrade");
        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(up.out()).containsExactly(MigrationCommandsTest.UP_INITIAL, MigrationCommandsTest.UP_INDEX);
        assertThat(up.err()).as("no library logging, no banner").isEmpty();
        assertThat(dir.resolve("hostevents.db")).isRegularFile();

        assertThat(run("downgrade", "-1").out()).containsExactly(MigrationCommandsTest.DOWN_INDEX);
        assertThat(run("upgrade").out()).containsExactly(MigrationCommandsTest.UP_INDEX);
        assertThat(run("current").out()).containsExactly("c1b85c454f94 (head)");
        assertThat(run("history").out()).containsExactly(
                "9372cec8298d -> c1b85c454f94 (head), add_composite_index_host_code_created_at",
                "<base> -> 9372cec8298d, Initial schema");
        Run verify = run("verify");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).last().isEqualTo("OK: the schema matches revision c1b85c454f94 (head)");
    }

    @Test
    void seed_events_explain_create_onTheDefaultSqliteFile() throws Exception {
        run("upgrade");

        Run seed = run("seed", "--hosts", "3", "--events-per-host", "40", "--print-host-codes");
        assertThat(seed.exitCode()).as(seed.toString()).isZero();
        assertThat(seed.err()).as("no progress bar without a terminal").isEmpty();
        String host = seed.out().get(1);

        Run events = run("events", "--host", host, "--limit", "5");
        assertThat(events.exitCode()).as(events.toString()).isZero();
        assertThat(events.out()).hasSize(7);
        assertThat(events.out().get(6)).startsWith("next cursor: ");

        Run explain = run("explain", "--host", host);
        assertThat(explain.exitCode()).as(explain.toString()).isZero();
        assertThat(explain.out()).last().isEqualTo("index idx_host_event_created, no sort");

        Run create = run("create", "--title", "From the jar");
        assertThat(create.exitCode()).as(create.toString()).isZero();
        assertThat(create.out()).singleElement().asString().contains("\"slug\":\"from-the-jar\"").contains("\"host_code\":\"host_");
    }

    @Test
    void cursorPaging_acrossRuns_worksWithTheSameCursorKey_andWithoutOneNoCursorIsPrinted() throws Exception {
        run("upgrade");
        String host = run("seed", "--hosts", "1", "--events-per-host", "12", "--print-host-codes").out().get(1);

        // Each run is a JVM of its own: only a shared key lets the second accept the first one's cursor.
        Run first = run(EventCommandsTest.KEY, "events", "--host", host, "--limit", "5");
        String cursor = first.out().get(6).substring("next cursor: ".length());
        Run second = run(EventCommandsTest.KEY, "events", "--host", host, "--limit", "5", "--cursor", cursor);
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).hasSize(7).doesNotContainAnyElementsOf(first.out().subList(1, 6));

        Run keyless = run(Map.of(), "events", "--host", host, "--limit", "5");
        assertThat(keyless.out()).last().isEqualTo("next cursor: (set HOSTEVENTS_CURSOR_KEY to page by cursor across runs); next offset: 5");
        assertThat(keyless.err()).isEmpty();
    }

    @Test
    void everyDialect_isInTheJar_theServiceFilesWereMerged() throws Exception {
        // The refusal lists the dialects ServiceLoader found: one from each module's service file.
        Run unknown = run("sql", "upgrade", "--dialect", "oracle");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).singleElement().asString()
                .contains("available: ").contains("h2").contains("sqlite").contains("postgres").contains("mysql");

        Run sql = run("sql", "upgrade", "--dialect", "mariadb", "--server-version", "10.2");
        assertThat(sql.exitCode()).as(sql.toString()).isZero();
        assertThat(String.join("\n", sql.out())).contains("CREATE INDEX idx_host_event_created ON events(host_code, created_at)");
        assertThat(dir.toFile().list()).as("offline: no database opened").isEmpty();
    }

    @Test
    void badInput_exitCodes_oneLine_noStackTrace_noHostCode() throws Exception {
        Run malformed = run("events", "--host", "HOST_Secret-Code!");
        assertThat(malformed.exitCode()).isEqualTo(1);
        assertThat(malformed.err()).containsExactly("error: host code must be 'host_' followed by 12 lowercase letters or digits");

        Run usage = run("seed", "--hosts", "x");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).singleElement().asString().startsWith("error: ");

        Run help = run("events", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(String.join("\n", help.out())).contains("--host=<code>").contains("--format=table|json");

        Run version = run("--version");
        assertThat(version.out()).singleElement().asString().startsWith("hostevents 0.1.0");
    }

    private record Run(int exitCode, List<String> out, List<String> err) {
    }

    private Run run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** Runs the jar with {@code env} added to the environment, HOSTEVENTS_CURSOR_KEY removed unless given. */
    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("HOSTEVENTS_CURSOR_KEY");
            pb.environment().putAll(env);
            Process p = pb.start();
            // Generous: this only keeps a hung child from hanging the build; no timing is asserted.
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("hostevents " + String.join(" ", args) + " did not finish");
            }
            return new Run(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), Files.readAllLines(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
