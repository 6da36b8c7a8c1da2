package dev.hostevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command's bad input: the exit code (2 for a command line that cannot be parsed, 1 for a
 * command that failed), exactly one line on stderr starting with {@code error: }, no stack trace, and
 * never a host code that was given on the command line.
 */
class BadInputTest {
    /** Well-formed host codes: a credential that must never be echoed. */
    static final String SECRET = "host_s3cretcode99";
    static final String SECRET2 = "host_abcdefghijkl";
    static final String H2_REFUSED = "url must not contain INIT, RUNSCRIPT or CREATE ALIAS";
    /** Malformed, but still what the user typed as a host code. */
    static final String MALFORMED = "host_Not-Valid!";

    @TempDir
    static Path dir;

    @BeforeAll
    static void migrate() {
        assertThat(CliRun.in(dir, "upgrade").exitCode()).isZero();
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                // no command, unknown command, unknown option
                bad(2, "a command is required"),
                bad(2, "Unmatched argument", "frobnicate"),
                bad(2, "Unknown option", "current", "--frobnicate"),
                // upgrade / downgrade
                bad(1, "unknown revision", "upgrade", "deadbeef0000"),
                bad(1, "goes beyond the chain", "upgrade", "+5"),
                bad(1, "older than the current revision", "upgrade", "9372cec8298d"),
                bad(2, "Missing required parameter", "downgrade"),
                bad(1, "unknown revision", "downgrade", "zzzz"),
                bad(1, "--allow-data-loss", "downgrade", "base"),
                bad(2, "Unmatched argument", "downgrade", "-1", "-2"),
                bad(1, "unknown revision", "downgrade", SECRET),
                // current / history / verify with a database that cannot be reached
                bad(1, "no JDBC driver", "current", "--url", "jdbc:nowhere:x"),
                bad(1, "no JDBC driver", "verify", "--url", "jdbc:nowhere:x"),
                bad(2, "Unmatched argument", "history", "extra"),
                bad(1, "environment variable", "current", "--password-env", "HOSTEVENTS_TEST_SURELY_UNSET"),
                bad(1, "no dialect named 'oracle'", "current", "--dialect", "oracle"),
                // H2 URLs that run code on connect (INIT), however they are spelled
                bad(1, H2_REFUSED, "current", "--url", "jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'http://127.0.0.1:9/x.sql'"),
                bad(1, H2_REFUSED, "upgrade", "--url", "jdbc:h2:mem:x;init=create alias X for 'java.lang.System.exit'"),
                bad(1, H2_REFUSED, "verify", "--url", "jdbc:h2:mem:x;  In iT  =CALL 1"),
                bad(1, H2_REFUSED, "current", "--url", "jdbc:h2:mem:x;%49%4eIT=CALL%201"),
                bad(1, H2_REFUSED, "current", "--url", "jdbc:h2:mem:x;%2549NIT=CALL 1"),
                bad(1, H2_REFUSED, "current", "--url", "JDBC:H2:mem:x;INIT=CALL 1"),
                bad(1, H2_REFUSED, "current", "--url", "jdbc:h2:mem:x;DB_CLOSE_DELAY=-1;X=RUN\\SCRIPT FROM 'a'"),
                bad(1, H2_REFUSED, "current", "--url", "jdbc:h2:mem:x;X=CREATE/**/ALIAS"),
                // sql
                bad(2, "needs --dialect", "sql", "upgrade"),
                bad(2, "expected one of", "sql", "sideways", "--dialect", "sqlite"),
                bad(1, "no dialect named 'db2'", "sql", "upgrade", "--dialect", "db2"),
                bad(1, "goes the wrong way", "sql", "upgrade", "head:base", "--dialect", "sqlite"),
                bad(1, "unknown revision", "sql", "upgrade", "base:nope1234", "--dialect", "sqlite"),
                // stamp
                bad(2, "Missing required parameter", "stamp"),
                bad(1, "unknown revision", "stamp", "abc123abc123"),
                // explain
                bad(2, "Missing required option", "explain"),
                bad(1, "host code must be", "explain", "--host", MALFORMED),
                bad(1, "limit", "explain", "--host", SECRET, "--limit", "0"),
                bad(1, "offset", "explain", "--host", SECRET, "--offset", "-1"),
                bad(2, "is not an int", "explain", "--host", SECRET, "--limit", SECRET2),
                // seed
                bad(2, "Missing required option", "seed", "--hosts", "2"),
                bad(2, "--hosts must be between", "seed", "--hosts", "0", "--events-per-host", "3"),
                bad(2, "--events-per-host must be between", "seed", "--hosts", "1", "--events-per-host", "-3"),
                bad(2, "at most", "seed", "--hosts", "1000000", "--events-per-host", "1000"),
                bad(2, "--batch-size must be between", "seed", "--hosts", "1", "--events-per-host", "1", "--batch-size", "0"),
                bad(2, "is not a long", "seed", "--hosts", "1", "--events-per-host", "1", "--seed", "x"),
                // events
                bad(2, "Missing required option", "events"),
                bad(1, "host code must be", "events", "--host", MALFORMED),
                bad(1, "host code must be", "events", "--host", "  "),
                bad(1, "limit", "events", "--host", SECRET, "--limit", "101"),
                bad(1, "offset", "events", "--host", SECRET, "--offset", "100001"),
                bad(1, "cursor", "events", "--host", SECRET, "--cursor", "not-a-cursor"),
                bad(2, "cannot be used together", "events", "--host", SECRET, "--cursor", "x", "--offset", "0"),
                bad(2, "expected one of", "events", "--host", SECRET, "--format", "xml"),
                bad(2, "Unmatched argument", "events", "--host", SECRET, SECRET2),
                bad(2, "Expected parameter", "events", "--host", "--limit", "3"),
                bad(2, "Missing required parameter", "events", "--host"),
                bad(2, "should be specified only once", "events", "--host", SECRET, "--host=" + SECRET2),
                // create
                bad(2, "Missing required option", "create"),
                bad(1, "title", "create", "--title", "   "),
                bad(1, "title", "create", "--title", "x".repeat(201)),
                bad(1, "slug", "create", "--title", "t", "--slug", "Not A Slug"),
                bad(1, "description", "create", "--title", "t", "--description", "d".repeat(1001)),
                bad(1, "host code must be", "create", "--title", "t", "--host-code", MALFORMED),
                bad(1, "host code must be", "create", "--title", "t", "--host-code=" + MALFORMED),
                bad(2, "Unmatched argument", "create", "--title", "t", "--host-code", SECRET, SECRET2));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("badInput")
    void badInput_exitCode_oneErrorLine_noStackTrace_noHostCode(int exitCode, String mentions, String[] args) {
        CliRun.Result r = CliRun.in(dir, args);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        assertThat(r.errLines()).as(r.toString()).hasSize(1);
        String line = r.errLines().get(0);
        assertThat(line).startsWith("error: ").contains(mentions);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err() + r.out()).doesNotContain(SECRET).doesNotContain(SECRET2).doesNotContain(MALFORMED)
                .doesNotContain(MALFORMED.toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void verbose_addsTheStackTrace_afterTheOneErrorLine_stillWithoutHostCodes() {
        CliRun.Result r = CliRun.in(dir, "-v", "downgrade", SECRET);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines().get(0)).startsWith("error: unknown revision");
        assertThat(r.errLines()).hasSizeGreaterThan(3).anyMatch(l -> l.startsWith("\tat "));
        assertThat(r.err()).doesNotContain(SECRET);
    }

    private static Arguments bad(int exitCode, String mentions, String... args) {
        return Arguments.of(exitCode, mentions, args);
    }
}
