package dev.hostevents.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.hostevents.UnsupportedDatabaseException;
import dev.hostevents.ValidationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerInfoTest {
    @Test
    void parsesVersions_includingMariaDbsOldDriverPrefix() {
        assertThat(ServerInfo.of("MySQL", "5.5.5-10.2.11-MariaDB")).extracting(ServerInfo::major, ServerInfo::minor)
                .containsExactly(10, 2);
        assertThat(ServerInfo.of("PostgreSQL", "17.2 (Debian)").isAtLeast(17, 0)).isTrue();
        assertThat(ServerInfo.of("MySQL", "8.0.36").isAtLeast(8, 1)).isFalse();
        assertThat(ServerInfo.of("x", "garbage").major()).isZero();
    }

    /** What drivers report in DatabaseMetaData or SELECT VERSION(): read as they come. */
    @ParameterizedTest(name = "{0} {1} -> {2}.{3}")
    @CsvSource(delimiter = '|', value = {
        "PostgreSQL | 15.18 (Debian 15.18-0+deb12u1) | 15 | 18",
        "PostgreSQL | 17.11                         | 17 | 11",
        "MariaDB    | 10.11.6-MariaDB-0+deb12u1     | 10 | 11",
        "MySQL      | 5.5.5-10.2.44-MariaDB         | 10 | 2",
        "MySQL      | 8.0.36                        | 8  | 0",
        "SQLite     | 3.46.1                        | 3  | 46",
        "H2         | 2.3.232 (2024-08-11)          | 2  | 3",
        "x          | release 12                    | 12 | 0",
    })
    void of_readsMajorAndMinor_fromWhatDriversReport(String product, String version, int major, int minor) {
        ServerInfo server = ServerInfo.of(product, version);

        assertThat(server.major()).isEqualTo(major);
        assertThat(server.minor()).isEqualTo(minor);
        assertThat(server.version()).isEqualTo(version);
    }

    @Test
    void of_aNumberTooBigForAnInt_isAnUnknownVersion_notANumberFormatException() {
        assertThatCode(() -> ServerInfo.of("MySQL", "99999999999999999999.1")).doesNotThrowAnyException();
        assertThat(ServerInfo.of("MySQL", "99999999999999999999.1")).extracting(ServerInfo::major, ServerInfo::minor)
                .containsExactly(0, 0);
        assertThat(ServerInfo.of("MySQL", "8.99999999999999999999").major()).isEqualTo(8);
    }

    @Test
    void of_aMillionDigits_isReadInOnePass() {
        // A guard against the quadratic scan (100,000 nines hung for over 30 s), not a measurement.
        String nines = "9".repeat(1_000_000);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ServerInfo.of("x", nines));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ServerInfo.of("x", nines + ".1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.0", "5.7", "5.7.44", "10.2", "10.2.11-MariaDB", "5.5.5-10.2.44-MariaDB", "17", " 15 ",
        "8.0.36-log", "3.46.1", "2.3.232"})
    void requestedVersion_acceptsWhatAPersonTypesForOfflineSql(String version) {
        assertThat(ServerInfo.requestedVersion(version)).isEqualTo(version.strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"15\nDROP TABLE users; --", "15\rDROP TABLE users;", "abc", "", "  ", "8.0 ; DROP", "8.0'",
        "99999999999999999999.1", "1.2.3.4.5", ".5", "8..0", "15 (Debian)", "v8.0", "8.0\u2028x", "8.0\u001b[2J"})
    void requestedVersion_refusesAnythingElse_asAValidationErrorNamingServerVersion(String escaped) {
        String version = escaped.replace("\\n", "\n").replace("\\r", "\r").replace("\\u2028", "\u2028")
                .replace("\\u001b", "\u001b");

        assertThatThrownBy(() -> ServerInfo.requestedVersion(version))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("server version must be a version such as")
                .hasMessageNotContaining("DROP")
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("server_version"));
        // Checked before the dialect is even looked up (core's tests have none on the class path).
        assertThatThrownBy(() -> Dialects.offline("sqlite", version)).isInstanceOf(ValidationException.class);
    }

    @Test
    void requestedVersion_isBoundedInLength_soNoParserSeesAMillionDigits() {
        assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> ServerInfo.requestedVersion("9".repeat(1_000_000))))
                .isInstanceOf(ValidationException.class);
        assertThat(ServerInfo.requestedVersion("1".repeat(9) + ".1")).hasSize(11);
        assertThatThrownBy(() -> ServerInfo.requestedVersion("8.0-" + "x".repeat(ServerInfo.REQUESTED_VERSION_MAX)))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void anUnknownDatabase_namesProductVersionAndTheModuleToAdd() {
        assertThatThrownBy(() -> Dialects.forServer(ServerInfo.of("PostgreSQL", "17.2")))
                .isInstanceOf(UnsupportedDatabaseException.class)
                .hasMessageContaining("PostgreSQL 17.2")
                .hasMessageContaining("hostevents-dialect-postgres");
        assertThatThrownBy(() -> Dialects.byName("oracle")).isInstanceOf(UnsupportedDatabaseException.class)
                .hasMessageContaining("oracle");
    }
}
