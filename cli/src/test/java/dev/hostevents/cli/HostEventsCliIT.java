package dev.hostevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.dialect.mysql.MariaDbServer;
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
    void readingCommands_onAMistypedSqlitePath_failWithOneLine_andCreateNoFile() throws Exception {
        Path missing = dir.toRealPath().resolve("missing.db");
        for (List<String> command : List.of(List.of("current"), List.of("history", "--verbose"), List.of("verify"),
                List.of("events", "--host", "host_aaaaaaaa0001"), List.of("explain", "--host", "host_aaaaaaaa0001"))) {
            List<String> args = new ArrayList<>(command);
            args.add("--url=jdbc:sqlite:missing.db");
            Run r = run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.out()).as(r.toString()).isEmpty();
            // --verbose adds the stack trace after the one error line.
            assertThat(r.err()).as(r.toString()).first().isEqualTo("error: no database at " + missing);
            assertThat(missing).as(command + " created the file").doesNotExist();
        }
    }

    @Test
    void verify_onADatabaseWithoutTheEventsTable_isNotOk() throws Exception {
        run("upgrade");
        assertThat(run("downgrade", "base", "--allow-data-loss").exitCode()).isZero();

        Run verify = run("verify");
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
        assertThat(verify.out()).containsExactly(
                "MISSING: table events is not there (database at revision base); run upgrade first");
    }

    @Test
    void eventsByOffset_aFullLastPage_promisesNoNextOffset() throws Exception {
        run("upgrade");
        String host = run("seed", "--hosts", "1", "--events-per-host", "4", "--print-host-codes").out().get(1);

        assertThat(run("events", "--host", host, "--offset", "0", "--limit", "2").out()).last().isEqualTo("next offset: 2");
        Run last = run("events", "--host", host, "--offset", "2", "--limit", "2");
        assertThat(last.out()).as(last.toString()).hasSize(4).last().isEqualTo("next offset: (none)");
    }

    @Test
    void aMistypedCommand_getsASuggestion_onTheOneErrorLine() throws Exception {
        Run r = run("curent");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).hasSize(1);
        assertThat(r.err().get(0)).startsWith("error: ").contains("; did you mean current");
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
    void offlineSql_aServerVersionThatWouldInjectAStatement_isRefused_withOneLine() throws Exception {
        Run injected = run("sql", "upgrade", "9372cec8298d:head", "--dialect", "postgres", "--server-version", "15\nDROP TABLE users; --");
        assertThat(injected.exitCode()).isEqualTo(1);
        assertThat(injected.out()).isEmpty();
        assertThat(injected.err()).singleElement().asString().startsWith("error: server version must be a version such as");

        Run notAVersion = run("sql", "upgrade", "--dialect", "mysql", "--server-version", "abc");
        assertThat(notAVersion.exitCode()).isEqualTo(1);
        assertThat(notAVersion.out()).isEmpty();
        assertThat(notAVersion.err()).singleElement().asString().startsWith("error: server version must be");
    }

    @Test
    void events_rowsWrittenByAnotherApplication_reachTheTerminalEscaped_andTheJsonStaysJson() throws Exception {
        run("upgrade");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hostevents.db"));
                java.sql.PreparedStatement p = c.prepareStatement("INSERT INTO events (title, slug, short_code, host_code, created_at)"
                        + " VALUES (?, 'from-elsewhere', 'ELSEWHR1', ?, '2025-01-01 00:00:00.000000')")) {
            p.setString(1, EventCommandsTest.HOSTILE_TITLE);
            p.setString(2, EventCommandsTest.HOSTILE_HOST);
            p.executeUpdate();
        }

        Run table = run("events", "--host", EventCommandsTest.HOSTILE_HOST);
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(EventCommandsTest.terminalActive(String.join("\n", table.out()))).isEmpty();
        assertThat(table.out().get(1)).endsWith("\\u001b]0;owned-title\\u0007\\u001b[2J \\u202eevil\\u202c \\u009b31m\\u007f\\u2066x\\u2069");

        Run json = run("events", "--host", EventCommandsTest.HOSTILE_HOST, "--format", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(EventCommandsTest.terminalActive(String.join("\n", json.out()))).isEmpty();
        assertThat(EventCommandsTest.jsonStrings(String.join("\n", json.out()))).contains(EventCommandsTest.HOSTILE_TITLE);
    }

    /** H2 runs the SQL of INIT when it connects; these would each create the marker file (they did). */
    @Test
    void h2UrlsThatRunCode_areRefused_beforeConnecting_withOneLine() throws Exception {
        Path marker = dir.resolve("marker");
        Path script = dir.resolve("make-marker.sql");
        String alias = "CREATE ALIAS MK AS 'void mk() throws Exception { java.nio.file.Files.createFile(java.nio.file.Path.of(\""
                + marker + "\"))\\; }'";
        Files.writeString(script, alias.replace("\\;", ";") + ";\nCALL MK();\n");
        List<String> urls = List.of(
                "jdbc:h2:mem:a;INIT=RUNSCRIPT FROM '" + script + "'",
                "jdbc:h2:mem:b;INIT=" + alias + "\\;CALL MK()",
                "jdbc:h2:mem:c;init = runscript from '" + script + "'",
                "jdbc:h2:mem:d;DB_CLOSE_DELAY=-1;%49NIT=RUNSCRIPT%20FROM%20'" + script + "'");
        for (String url : urls) {
            Run r = run("upgrade", "--url", url);
            assertThat(marker).as(url).doesNotExist();
            assertThat(r.exitCode()).as(url + "\n" + r).isEqualTo(1);
            assertThat(r.err()).as(url).singleElement().asString()
                    .startsWith("error: url must not contain INIT, RUNSCRIPT or CREATE ALIAS");
        }

        // An ordinary H2 URL still works, even with "init" in its name.
        Run ok = run("upgrade", "--url", "jdbc:h2:" + dir.resolve("initial") + ";DB_CLOSE_DELAY=-1");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
    }

    @Test
    void passwordsInTheUrl_areInNoErrorLine_andNoVerboseTrace() throws Exception {
        // What MariaDB Connector/J echoed: "Incorrect port value : SECRETPW12@127.0.0.1", "... connection String ...?password=SECRETPW17".
        for (String url : List.of("jdbc:mariadb://root:SECRETPW12@127.0.0.1:3306/x", "jdbc:mariadb:bad//?password=SECRETPW17")) {
            Run r = run("current", "--url", url);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).as(url).singleElement().asString().startsWith("error: ");
            assertThat(String.join("\n", r.err())).doesNotContain("SECRETPW");

            Run verbose = run("-v", "current", "--url", url);
            assertThat(verbose.exitCode()).isEqualTo(1);
            assertThat(String.join("\n", verbose.err())).as(url).doesNotContain("SECRETPW").contains("\tat ");
        }
    }

    @Test
    void aHostCode_fromAVariable_orStandardInput_neverOnTheCommandLine() throws Exception {
        run("upgrade");
        Run created = run(List.of(), Map.of("HE_HOST", "host_fromtheenv01"), "", "create", "--title", "Env", "--host-env", "HE_HOST");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).singleElement().asString().contains("\"host_code\":\"host_fromtheenv01\"");

        Run fromStdin = run(List.of(), Map.of(), "host_fromtheenv01\n", "events", "--host", "-");
        assertThat(fromStdin.exitCode()).as(fromStdin.toString()).isZero();
        assertThat(fromStdin.out()).hasSize(3);
        assertThat(fromStdin.out().get(1)).endsWith("Env");
        Run fromEnv = run(List.of(), Map.of("HE_HOST", "host_fromtheenv01"), "", "events", "--host-env", "HE_HOST");
        assertThat(fromEnv.out()).isEqualTo(fromStdin.out());

        Run unset = run("explain", "--host-env", "HE_SURELY_UNSET_1");
        assertThat(unset.exitCode()).isEqualTo(1);
        assertThat(unset.err()).containsExactly("error: host code variable HE_SURELY_UNSET_1 (named by --host-env) is not set");
    }

    /** pgjdbc warned through java.util.logging (two lines) before the tool's own error line. */
    @Test
    void driverLogging_aBadPostgresPort_isTheToolsOneLineOnly() throws Exception {
        Run r = run("current", "--url", "jdbc:postgresql://127.0.0.1:99999/x");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).singleElement().asString().startsWith("error: ");
    }

    /** sqlite-jdbc logged about 90 lines of ERROR and stack traces when it could not unpack its native library. */
    @Test
    void driverLogging_sqliteWithoutATempFolder_isTheToolsOneLineOnly() throws Exception {
        Run r = run(List.of("-Djava.io.tmpdir=" + dir.resolve("no-such-folder")), Map.of(), "", "current");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).singleElement().asString().startsWith("error: ");
    }

    /**
     * MariaDB Connector/J logged every server error at WARN through SLF4J, host code included
     * ({@code WARN org.mariadb.jdbc.message.server.ErrorPacket - Error: 1062-23000: Duplicate entry
     * 'host_…' for key 'ux_host'}), before the library saw it: here against a real MariaDB 11.4.
     */
    @Test
    void driverLogging_mariaDbServerErrors_areTheToolsOneLineOnly_withoutTheHostCode() throws Exception {
        MariaDbServer server = MariaDbServer.NEW;
        String url = server.url(server.newDatabaseName(), MariaDbServer.Driver.MARIADB);
        Run up = run("upgrade", "--url", url);
        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(up.err()).as(up.toString()).isEmpty();
        // An application's own rule the library does not know: one event per host.
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE UNIQUE INDEX ux_host ON events (host_code)");
        }
        String code = "host_mariamaria12";

        Run first = run("create", "--url", url, "--title", "Only one", "--host-code", code);
        Run again = run("create", "--url", url, "--title", "Only one", "--host-code", code);
        Run verbose = run("-v", "create", "--url", url, "--title", "Only one", "--host-code", code);

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.err()).as(first.toString()).isEmpty();
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).as(again.toString()).singleElement().asString().startsWith("error: ");
        assertThat(String.join("\n", again.err() + "" + verbose.err())).doesNotContain(code).doesNotContain("mariamaria12")
                .doesNotContain("WARN org.mariadb");
        assertThat(verbose.err()).as("with --verbose: the line, then the trace").first().asString().startsWith("error: ");
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
        return run(List.of(), Map.of(), "", args);
    }

    /** Runs the jar with {@code env} added to the environment. */
    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(List.of(), env, "", args);
    }

    /**
     * {@code java <jvmOptions> -jar hostevents-cli.jar args...} with extra environment variables
     * (HOSTEVENTS_CURSOR_KEY removed unless given) and {@code stdin} as standard input.
     */
    private Run run(List<String> jvmOptions, Map<String, String> env, String stdin, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        Path in = Files.createTempFile("cli-in", ".txt");
        Files.writeString(in, stdin);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().remove("HOSTEVENTS_CURSOR_KEY");
            builder.environment().putAll(env);
            Process p = builder.start();
            // Generous: this only keeps a hung child from hanging the build; no timing is asserted.
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("hostevents " + String.join(" ", args) + " did not finish");
            }
            return new Run(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), Files.readAllLines(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(in);
        }
    }
}
