package dev.hostevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code sql}: offline SQL for every dialect, with no connection to anything. */
class SqlCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"sqlite,", "postgres,", "postgres,13", "mysql,", "mysql,5.7", "mariadb,10.2", "mariadb,11.4", "h2,"})
    void upgrade_rendersTheWholeChain_forEachDialect_withoutConnecting(String dialect, String version) {
        CliRun.Result r = version == null
                ? CliRun.in(dir, "sql", "upgrade", "--dialect", dialect, "--url", "jdbc:nowhere:at-all")
                : CliRun.in(dir, "sql", "upgrade", "--dialect", dialect, "--server-version", version, "--url", "jdbc:nowhere:at-all");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .contains("alembic_version")
                .contains("-- " + MigrationCommandsTest.UP_INITIAL)
                .contains("-- " + MigrationCommandsTest.UP_INDEX)
                .containsIgnoringCase("create table")
                .contains("idx_host_event_created")
                .contains("c1b85c454f94");
        assertThat(dir.toFile().list()).as("no database was opened").isEmpty();
    }

    @Test
    void downgrade_aRange_rendersOnlyThatRevision() {
        CliRun.Result r = CliRun.in(dir, "sql", "downgrade", "head:9372cec8298d", "--dialect", "sqlite");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("-- " + MigrationCommandsTest.DOWN_INDEX)
                .containsIgnoringCase("drop index")
                .doesNotContainIgnoringCase("drop table");
    }

    @Test
    void upgrade_fromARevision_rendersOnlyWhatFollows() {
        CliRun.Result r = CliRun.in(dir, "sql", "UPGRADE", "9372cec8298d:head", "--dialect", "sqlite");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("-- " + MigrationCommandsTest.UP_INDEX)
                .doesNotContain(MigrationCommandsTest.UP_INITIAL)
                .doesNotContainIgnoringCase("create table");
    }

    /**
     * The version goes into the script a DBA runs: a line break in it would have been a statement of
     * its own ({@code 15\nDROP TABLE users; --} printed {@code DROP TABLE users;} as line 2, exit 0), and
     * {@code abc} rendered "MySQL 0.0". Refused before anything is printed.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres|15\nDROP TABLE users; --", "mysql|abc", "mysql|99999999999999999999.1", "mariadb|10.2'",
        "sqlite|3.46\r\nDROP TABLE events;", "h2|"})
    void aServerVersionOutsideTheGrammar_isRefused_oneLine_nothingPrinted(String dialectAndVersion) {
        String[] parts = dialectAndVersion.split("\\|", -1);
        String version = parts[1].replace("\\n", "\n").replace("\\r", "\r");

        CliRun.Result r = CliRun.in(dir, "sql", "upgrade", "--dialect", parts[0], "--server-version", version);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).as("no script at all").isEmpty();
        assertThat(r.errLines()).as(r.toString()).singleElement().asString()
                .startsWith("error: server version must be a version such as 8.0")
                .doesNotContain("DROP");
    }

    @Test
    void aVersionAsServersPrintIt_isAccepted_andNamedInTheHeader() {
        CliRun.Result r = CliRun.in(dir, "sql", "upgrade", "9372cec8298d:head", "--dialect", "mysql", "--server-version", "5.5.5-10.2.44-MariaDB");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.outLines().get(0)).isEqualTo("-- hostevents upgrade 9372cec8298d:head for mysql 5.5.5-10.2.44-MariaDB");
        assertThat(r.out()).contains("ascending by design on MariaDB 10.2");
    }
}
