package dev.hostevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
}
