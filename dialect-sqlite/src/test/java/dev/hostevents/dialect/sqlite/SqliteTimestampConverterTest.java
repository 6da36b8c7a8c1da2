package dev.hostevents.dialect.sqlite;

import static dev.hostevents.dialect.sqlite.SqliteTimestampConverter.format;
import static dev.hostevents.dialect.sqlite.SqliteTimestampConverter.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hostevents.HostEventsException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The TEXT form of {@code created_at} on SQLite. */
class SqliteTimestampConverterTest {

    @Test
    void format_alwaysWritesSixFractionDigits_inUtc() {
        assertThat(format(Instant.parse("2025-10-08T20:52:27Z"))).isEqualTo("2025-10-08 20:52:27.000000");
        assertThat(format(Instant.parse("2025-10-08T20:52:27.5Z"))).isEqualTo("2025-10-08 20:52:27.500000");
        assertThat(format(Instant.parse("2025-10-08T20:52:27.123456Z"))).isEqualTo("2025-10-08 20:52:27.123456");
        assertThat(format(Instant.parse("2025-10-08T20:52:27.000001Z"))).isEqualTo("2025-10-08 20:52:27.000001");
        assertThat(format(Instant.EPOCH)).isEqualTo("1970-01-01 00:00:00.000000");
        assertThat(format(Instant.parse("0001-01-01T00:00:00Z"))).isEqualTo("0001-01-01 00:00:00.000000");
        assertThat(format(Instant.parse("9999-12-31T23:59:59.999999Z"))).isEqualTo("9999-12-31 23:59:59.999999");
    }

    @Test
    void format_truncatesBelowAMicrosecond_asTheStoreDoes() {
        assertThat(format(Instant.parse("2025-10-08T20:52:27.123456789Z"))).isEqualTo("2025-10-08 20:52:27.123456");
        assertThat(format(Instant.parse("1969-12-31T23:59:59.999999999Z"))).isEqualTo("1969-12-31 23:59:59.999999");
    }

    @Test
    void format_refusesAYearTheFixedWidthFormCannotHold() {
        assertThat(catchThrowableOfType(HostEventsException.class, () -> format(Instant.parse("+10000-01-01T00:00:00Z"))))
                .hasMessageContaining("0000-9999");
    }

    @Test
    void parse_readsTheCanonicalForm_andRoundTrips() {
        Random random = new Random(20251008);
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L), random.nextInt(1_000_000) * 1_000);
            String text = format(t);
            assertThat(text).hasSize(26).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
            assertThat(parse(text, 1)).isEqualTo(t);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "2025-10-08 20:52:27;            2025-10-08T20:52:27Z",
        "2025-10-08 20:52:27.5;          2025-10-08T20:52:27.500Z",
        "2025-10-08 20:52:27.12;         2025-10-08T20:52:27.120Z",
        "2025-10-08 20:52:27.000100;     2025-10-08T20:52:27.000100Z",
        "2025-10-08T20:52:27.123456;     2025-10-08T20:52:27.123456Z",
        "2025-10-08T20:52:27Z;           2025-10-08T20:52:27Z",
        "2025-10-08T20:52:27.1Z;         2025-10-08T20:52:27.100Z",
        "2025-10-08 20:52:27.123456Z;    2025-10-08T20:52:27.123456Z",
        "2025-10-08 20:52:27+00:00;      2025-10-08T20:52:27Z",
        "2025-10-08 20:52:27.123456789;  2025-10-08T20:52:27.123456Z",
        "2024-02-29 23:59:59.999999;     2024-02-29T23:59:59.999999Z",
    })
    void parse_acceptsTheShorterFormsAndNormalisesThem(String stored, String expected) {
        Instant value = parse(stored, 7);
        assertThat(value).isEqualTo(Instant.parse(expected));
        assertThat(format(value)).hasSize(26);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "yesterday", "2025-10-08", "2025-10-08 20:52", "2025-10-08 20:52:27.",
        "2025-10-08 20:52:27.1234567890", "2025-13-01 00:00:00", "2025-02-30 00:00:00", "2025-10-08 24:00:00",
        "2025-10-08 20:61:00", "2025-10-08  20:52:27", "2025/10/08 20:52:27", " 2025-10-08 20:52:27",
        "2025-10-08 20:52:27 ", "2025-10-08 20:52:27.12x", "1728420747", "1728420747.5", "2460592.37",
        "2025-10-08 20:52:27+02:00", "2025-10-08 20:52:27-0500", "2025-10-08 20:52:27 UTC", "２０２５-10-08 20:52:27"})
    void parse_refusesAnythingElse_namingTheRowId(String stored) {
        HostEventsException e = catchThrowableOfType(HostEventsException.class, () -> parse(stored, 4711));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("events row id 4711 has a created_at that is not a UTC timestamp");
    }

    @Test
    void parse_namesANonUtcOffsetAsTheProblem() {
        assertThat(catchThrowableOfType(HostEventsException.class, () -> parse("2025-10-08 20:52:27+02:00", 3)).getMessage())
                .contains("row id 3").contains("time-zone offset other than UTC");
    }

    @Test
    void parse_ofNull_saysTheRowHasNoCreatedAt() {
        assertThat(catchThrowableOfType(HostEventsException.class, () -> parse(null, 12)))
                .hasMessage("events row id 12 has no created_at");
    }

    @Test
    void parse_errorMessage_neverShowsAHostCode_andStaysShort() {
        HostEventsException e = catchThrowableOfType(HostEventsException.class, () -> parse("host_aaaaaaaa0001", 5));
        assertThat(e.getMessage()).doesNotContain("host_aaaaaaaa0001").doesNotContain("aaaaaaaa0001").contains("row id 5");
        assertThat(catchThrowableOfType(HostEventsException.class, () -> parse("x".repeat(10_000), 6)).getMessage()).hasSizeLessThan(200);
    }

    @Test
    void textOrder_isTimeOrder() {
        Random random = new Random(42);
        List<Instant> instants = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            // Many values share a second, so the fraction decides the order.
            instants.add(Instant.ofEpochSecond(1_759_956_747L + random.nextInt(50), random.nextInt(1_000_000) * 1_000));
        }
        instants.add(Instant.parse("1999-12-31T23:59:59.999999Z"));
        instants.add(Instant.parse("2000-01-01T00:00:00Z"));
        List<Instant> byTime = instants.stream().sorted().toList();
        List<Instant> byText = instants.stream().sorted(Comparator.comparing(SqliteTimestampConverter::format)).toList();
        assertThat(byText).isEqualTo(byTime);
    }

    @Test
    void asAJooqConverter_mapsNullToNull_andTextToInstant() {
        SqliteTimestampConverter c = SqliteTimestampConverter.INSTANCE;
        assertThat(c.fromType()).isEqualTo(String.class);
        assertThat(c.toType()).isEqualTo(Instant.class);
        assertThat(c.from(null)).isNull();
        assertThat(c.to(null)).isNull();
        assertThat(c.from("2025-10-08 20:52:27")).isEqualTo(Instant.parse("2025-10-08T20:52:27Z"));
        assertThat(c.to(Instant.parse("2025-10-08T20:52:27Z"))).isEqualTo("2025-10-08 20:52:27.000000");
        assertThat(catchThrowableOfType(HostEventsException.class, () -> c.from("garbage")))
                .hasMessageStartingWith("created_at is not a UTC timestamp: 'garbage'");
    }
}
