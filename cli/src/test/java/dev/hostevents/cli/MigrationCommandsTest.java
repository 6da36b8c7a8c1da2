package dev.hostevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** upgrade, downgrade, current, history, stamp and verify on a SQLite file, as a user types them. */
class MigrationCommandsTest {
    static final String UP_INITIAL = "Running upgrade  -> 9372cec8298d, Initial schema";
    static final String UP_INDEX = "Running upgrade 9372cec8298d -> c1b85c454f94, add_composite_index_host_code_created_at";
    static final String DOWN_INDEX = "Running downgrade c1b85c454f94 -> 9372cec8298d, add_composite_index_host_code_created_at";

    @TempDir
    Path dir;

    @Test
    void upgrade_inAnEmptyFolder_createsHosteventsDbAtHead_withAlembicLines() {
        CliRun.Result r = CliRun.in(dir, "upgrade");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.outLines()).containsExactly(UP_INITIAL, UP_INDEX);
        assertThat(r.err()).isEmpty();
        assertThat(dir.resolve("hostevents.db")).isRegularFile();
        assertThat(CliRun.in(dir, "current").outLines()).containsExactly("c1b85c454f94 (head)");
    }

    @Test
    void upgrade_atHead_saysThereIsNothingToDo() {
        CliRun.in(dir, "upgrade");

        CliRun.Result r = CliRun.in(dir, "upgrade");

        assertThat(r.exitCode()).isZero();
        assertThat(r.outLines()).containsExactly("Nothing to do: the database is at c1b85c454f94 (head)");
    }

    @Test
    void downgradeMinusOne_thenUpgrade_printAlembicLines_andCurrentFollows() {
        CliRun.in(dir, "upgrade");

        CliRun.Result down = CliRun.in(dir, "downgrade", "-1");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(down.outLines()).containsExactly(DOWN_INDEX);
        assertThat(CliRun.in(dir, "current").outLines()).containsExactly("9372cec8298d");

        CliRun.Result up = CliRun.in(dir, "upgrade", "+1");
        assertThat(up.outLines()).containsExactly(UP_INDEX);
        assertThat(CliRun.in(dir, "current").outLines()).containsExactly("c1b85c454f94 (head)");
    }

    @Test
    void upgrade_toARevision_stopsThere() {
        CliRun.Result r = CliRun.in(dir, "upgrade", "9372cec8298d");

        assertThat(r.outLines()).containsExactly(UP_INITIAL);
        assertThat(CliRun.in(dir, "current").outLines()).containsExactly("9372cec8298d");
    }

    @Test
    void current_onAnEmptyDatabase_printsNothing() throws Exception {
        Files.createFile(dir.resolve("hostevents.db"));
        CliRun.Result r = CliRun.in(dir, "current");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void readingCommands_onAMissingSqliteFile_sayNoDatabase_andCreateNone() {
        Path missing = dir.resolve("hostevents.db").toAbsolutePath().normalize();
        // Plain history prints the built-in chain without opening the database; --verbose opens it.
        for (List<String> command : List.of(List.of("current"), List.of("history", "--verbose"), List.of("verify"),
                List.of("downgrade", "-1"))) {
            CliRun.Result r = CliRun.in(dir, command.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            // --verbose adds the stack trace after the one error line.
            assertThat(r.errLines()).as(r.toString()).first().isEqualTo("error: no database at " + missing);
            assertThat(missing).doesNotExist();
        }
    }

    @Test
    void downgradeBase_needsAllowDataLoss_thenDropsEverything() {
        CliRun.in(dir, "upgrade");

        CliRun.Result refused = CliRun.in(dir, "downgrade", "base");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.errLines()).hasSize(1).first().asString().startsWith("error: ").contains("--allow-data-loss");
        assertThat(CliRun.in(dir, "current").outLines()).containsExactly("c1b85c454f94 (head)");

        CliRun.Result down = CliRun.in(dir, "downgrade", "base", "--allow-data-loss");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(down.outLines()).containsExactly(DOWN_INDEX, "Running downgrade 9372cec8298d -> , Initial schema");
        assertThat(CliRun.in(dir, "current").out()).isEmpty();
    }

    @Test
    void history_isNewestFirst_inAlembicsFormat_withoutADatabase() {
        CliRun.Result r = CliRun.in(dir, "history");

        assertThat(r.exitCode()).isZero();
        assertThat(r.outLines()).containsExactly(
                "9372cec8298d -> c1b85c454f94 (head), add_composite_index_host_code_created_at",
                "<base> -> 9372cec8298d, Initial schema");
        assertThat(dir.resolve("hostevents.db")).doesNotExist();
    }

    @Test
    void historyVerbose_marksCurrent_andShowsTheAppliedLog() {
        CliRun.in(dir, "upgrade");
        CliRun.in(dir, "downgrade", "-1");

        CliRun.Result r = CliRun.in(dir, "history", "--verbose");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("Rev: c1b85c454f94 (head)\nParent: 9372cec8298d\n")
                .contains("Rev: 9372cec8298d (current)\nParent: <base>\n")
                .contains("    add_composite_index_host_code_created_at\n")
                .contains("Applied: upgrade 9372cec8298d -> c1b85c454f94 at ")
                .contains("Applied: downgrade c1b85c454f94 -> 9372cec8298d at ");
        assertThat(r.out().indexOf("Rev: c1b85c454f94")).isLessThan(r.out().indexOf("Rev: 9372cec8298d"));
    }

    @Test
    void stamp_recordsARevision_withoutRunningItsSteps() throws Exception {
        CliRun.in(dir, "upgrade", "9372cec8298d");

        CliRun.Result r = CliRun.in(dir, "stamp", "head");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.outLines()).containsExactly("Running stamp_revision 9372cec8298d -> c1b85c454f94");
        assertThat(CliRun.in(dir, "current").outLines()).containsExactly("c1b85c454f94 (head)");
        // The index was never built, and verify says so.
        CliRun.Result verify = CliRun.in(dir, "verify");
        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.outLines()).anyMatch(l -> l.startsWith("drift: index idx_host_event_created is missing"));
    }

    @Test
    void verify_matchingSchema_exitsZero() {
        CliRun.in(dir, "upgrade");

        CliRun.Result r = CliRun.in(dir, "verify");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.outLines()).last().isEqualTo("OK: the schema matches revision c1b85c454f94 (head)");
    }

    @Test
    void verify_onDrift_exitsOne_withALinePerFinding() throws Exception {
        CliRun.in(dir, "upgrade");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hostevents.db"));
                Statement s = c.createStatement()) {
            s.execute("DROP INDEX idx_host_event_created");
            s.execute("CREATE INDEX idx_host_event_created ON events (host_code, created_at)");
            s.execute("DROP INDEX ix_events_slug");
        }

        CliRun.Result r = CliRun.in(dir, "verify");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.outLines()).filteredOn(l -> l.startsWith("drift: ")).hasSize(2);
        assertThat(r.out()).contains("drift: index idx_host_event_created is ").contains("drift: index ix_events_slug is missing");
        assertThat(r.outLines()).last().isEqualTo("DRIFT: 2 finding(s) against revision c1b85c454f94 (head)");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void globalOptions_workBeforeAndAfterTheCommand_andRelativeSqliteUrlsResolveInTheWorkingFolder() throws Exception {
        Files.createDirectories(dir.resolve("data"));

        assertThat(CliRun.in(dir, "--url", "jdbc:sqlite:data/a.db", "upgrade").exitCode()).isZero();
        assertThat(CliRun.in(dir, "current", "--url", "jdbc:sqlite:data/a.db").outLines()).containsExactly("c1b85c454f94 (head)");
        assertThat(dir.resolve("data/a.db")).isRegularFile();
        assertThat(dir.resolve("hostevents.db")).doesNotExist();
    }

    @Test
    void h2FileUrls_andTheDialectOverride_work() {
        String url = "jdbc:h2:file:" + dir.resolve("h2db").toAbsolutePath();

        CliRun.Result up = CliRun.in(dir, "upgrade", "--url", url, "--dialect", "h2");

        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(up.outLines()).containsExactly(UP_INITIAL, UP_INDEX);
        assertThat(CliRun.in(dir, "verify", "--url", url).exitCode()).isZero();
    }

    @Test
    void passwordEnv_readsTheNamedVariable() {
        String url = "jdbc:h2:file:" + dir.resolve("secured").toAbsolutePath();

        CliRun.Result r = CliRun.in(dir, java.util.Map.of("HE_PASSWORD", "s3cret"),
                "upgrade", "--url", url, "--user", "admin", "--password-env", "HE_PASSWORD");
        assertThat(r.exitCode()).as(r.toString()).isZero();

        CliRun.Result wrong = CliRun.in(dir, java.util.Map.of("HE_PASSWORD", "pw-mismatch-123"),
                "current", "--url", url, "--user", "admin", "--password-env", "HE_PASSWORD");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.errLines()).hasSize(1);
        assertThat(wrong.err()).doesNotContain("pw-mismatch-123");
    }
}
