package dev.hostevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Secrets off the command line and out of every message: host codes from a variable or standard
 * input, passwords in {@code --url} never echoed by the error line or the {@code --verbose} trace.
 */
class SecretsTest {
    @TempDir
    static Path dir;
    static String host;

    @BeforeAll
    static void seed() {
        assertThat(CliRun.in(dir, "upgrade").exitCode()).isZero();
        CliRun.Result r = CliRun.in(dir, "seed", "--hosts", "1", "--events-per-host", "4", "--print-host-codes");
        host = r.outLines().get(1);
    }

    @Test
    void events_andExplain_takeTheHostCode_fromAVariable_orStandardInput_asFromArgv() {
        CliRun.Result fromArgv = CliRun.in(dir, "events", "--host", host, "--format", "json");
        CliRun.Result fromEnv = CliRun.in(dir, Map.of("HE_HOST", host), "events", "--host-env", "HE_HOST", "--format", "json");
        CliRun.Result fromStdin = CliRun.withStdin(dir, Map.of(), host + "\n", "events", "--host", "-", "--format", "json");

        assertThat(fromArgv.jsonAll("id")).hasSize(4);
        assertThat(fromEnv.out()).as(fromEnv.toString()).isEqualTo(fromArgv.out());
        assertThat(fromStdin.out()).as(fromStdin.toString()).isEqualTo(fromArgv.out());

        CliRun.Result explain = CliRun.withStdin(dir, Map.of(), "  " + host.toUpperCase(java.util.Locale.ROOT) + "  \r\n", "explain", "--host", "-");
        assertThat(explain.exitCode()).as(explain.toString()).isZero();
        assertThat(explain.outLines()).last().isEqualTo("index idx_host_event_created, no sort");
        assertThat(CliRun.in(dir, Map.of("HE_HOST", host), "explain", "--host-env", "HE_HOST").exitCode()).isZero();
    }

    @Test
    void create_takesTheHostCode_fromAVariable_orStandardInput() {
        CliRun.Result fromEnv = CliRun.in(dir, Map.of("HE_HOST", "host_fromenv00001"), "create", "--title", "From env",
                "--host-code-env", "HE_HOST");
        CliRun.Result alias = CliRun.in(dir, Map.of("HE_HOST", "host_fromenv00002"), "create", "--title", "From env 2",
                "--host-env", "HE_HOST");
        CliRun.Result fromStdin = CliRun.withStdin(dir, Map.of(), "host_fromstdin001\n", "create", "--title", "From stdin",
                "--host-code", "-");

        assertThat(fromEnv.json("host_code")).as(fromEnv.toString()).isEqualTo("host_fromenv00001");
        assertThat(alias.json("host_code")).as(alias.toString()).isEqualTo("host_fromenv00002");
        assertThat(fromStdin.json("host_code")).as(fromStdin.toString()).isEqualTo("host_fromstdin001");
    }

    static Stream<Arguments> badHostCodeSources() {
        return Stream.of(
                Arguments.of(2, "--host and --host-env cannot be used together", "", new String[] {"events", "--host", host, "--host-env", "HE_HOST"}),
                Arguments.of(2, "Missing required option: '--host=<code>'", "", new String[] {"explain"}),
                Arguments.of(1, "host code variable HE_UNSET (named by --host-env) is not set", "", new String[] {"events", "--host-env", "HE_UNSET"}),
                Arguments.of(1, "host code is required: standard input (--host -) was empty", "", new String[] {"events", "--host", "-"}),
                Arguments.of(1, "host code must be", "", new String[] {"events", "--host-env", "HE_MALFORMED"}),
                Arguments.of(1, "host code must be", BadInputTest.MALFORMED + "\n", new String[] {"explain", "--host", "-"}),
                Arguments.of(1, "host code must be", "x".repeat(100_000), new String[] {"events", "--host", "-"}),
                Arguments.of(2, "--host-code and --host-code-env cannot be used together", "",
                        new String[] {"create", "--title", "t", "--host-code", "-", "--host-env", "HE_HOST"}),
                Arguments.of(1, "host code must be", BadInputTest.MALFORMED, new String[] {"create", "--title", "t", "--host-code", "-"}));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badHostCodeSources")
    void aBadHostCodeSource_isOneLine_andNeverEchoesTheCode(int exitCode, String mentions, String stdin, String[] args) {
        CliRun.Result r = CliRun.withStdin(dir, Map.of("HE_HOST", host, "HE_MALFORMED", BadInputTest.MALFORMED), stdin, args);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        assertThat(r.errLines()).as(r.toString()).singleElement().asString().startsWith("error: ").contains(mentions);
        assertThat(r.err()).doesNotContain(host).doesNotContain(BadInputTest.MALFORMED)
                .doesNotContain(BadInputTest.MALFORMED.toLowerCase(java.util.Locale.ROOT));
    }

    /** Each URL's password, as MariaDB's and PostgreSQL's drivers echoed them (two of them did before). */
    static Stream<Arguments> urlsWithPasswords() {
        return Stream.of(
                Arguments.of("jdbc:mariadb://root:SECRETPW12@127.0.0.1:3306/x", "SECRETPW12"),
                Arguments.of("jdbc:mariadb:bad//?password=SECRETPW17", "SECRETPW17"),
                Arguments.of("jdbc:mariadb://127.0.0.1:1/x?user=root&password=SECRETPW18", "SECRETPW18"),
                Arguments.of("jdbc:mysql://root:SECRETPW19@127.0.0.1:notaport/x", "SECRETPW19"),
                Arguments.of("jdbc:postgresql://u:SECRETPW20@127.0.0.1:1/x", "SECRETPW20"),
                Arguments.of("jdbc:postgresql://127.0.0.1:99999/x?password=SECRETPW21", "SECRETPW21"),
                Arguments.of("jdbc:h2:mem:x;PASSWORD=SECRETPW22;NOSUCHSETTING=1", "SECRETPW22"),
                Arguments.of("jdbc:nowhere://u:SECRETPW23@h/x", "SECRETPW23"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urlsWithPasswords")
    void aPasswordInTheUrl_isInNoErrorLine_andNoVerboseTrace(String url, String password) {
        CliRun.Result r = CliRun.in(dir, "current", "--url", url);
        CliRun.Result verbose = CliRun.in(dir, "-v", "current", "--url=" + url);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.errLines()).as(r.toString()).singleElement().asString().startsWith("error: ");
        assertThat(r.err()).doesNotContain(password);
        assertThat(verbose.exitCode()).isEqualTo(1);
        assertThat(verbose.err()).as(verbose.toString()).doesNotContain(password);
    }

    @Test
    void thePasswordFromItsVariable_isInNoMessage_evenWhenADriverQuotesTheUrl() {
        // The driver is handed the password as a property; the url here also carries it, as a user might paste it.
        CliRun.Result r = CliRun.in(dir, Map.of("HE_PW", "PASSWORD-FROM-ENV-1"), "-v", "current",
                "--url", "jdbc:mariadb:bad//?x=PASSWORD-FROM-ENV-1", "--password-env", "HE_PW");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).doesNotContain("PASSWORD-FROM-ENV-1");
    }
}
