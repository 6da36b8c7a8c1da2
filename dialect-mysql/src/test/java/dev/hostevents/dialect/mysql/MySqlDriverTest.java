package dev.hostevents.dialect.mysql;

import static dev.hostevents.dialect.mysql.Fixtures.BIG_HOST;
import static dev.hostevents.dialect.mysql.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.Page;
import dev.hostevents.PageRequest;
import dev.hostevents.dialect.mysql.MariaDbServer.Driver;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.Dialects;
import dev.hostevents.spi.ServerInfo;
import dev.hostevents.spi.TieBreak;
import dev.hostevents.testing.MutableClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both drivers against both servers: identification, a migrate-write-read round trip (also with
 * server-side prepared statements), {@code created_at} under foreign time zones, and error codes.
 */
class MySqlDriverTest {
    private static final String HOST_B = "host_bbbbbbbb0002";

    static Stream<Arguments> serversAndDrivers() {
        List<Arguments> out = new ArrayList<>();
        for (MariaDbServer server : List.of(MariaDbServer.NEW, MariaDbServer.OLD)) {
            for (Driver driver : Driver.values()) {
                out.add(Arguments.of(server, driver));
            }
        }
        return out.stream();
    }

    /** Server-side prepared statements too: binds in LIMIT / FETCH must then be real parameters. */
    static Stream<Arguments> serversDriversAndPrepareModes() {
        return serversAndDrivers().flatMap(a -> Stream.of(
                Arguments.of(a.get()[0], a.get()[1], "useServerPrepStmts=false"),
                Arguments.of(a.get()[0], a.get()[1], "useServerPrepStmts=true")));
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("serversDriversAndPrepareModes")
    void eachDriver_upgradesWritesAndPagesOnEachServer(MariaDbServer server, Driver driver, String prepareMode) {
        DataSource ds = server.dataSource(server.newDatabaseName(), driver, prepareMode);
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("head");
        MutableClock clock = new MutableClock(T0);
        EventStore store = EventStore.builder(ds).clock(clock).build();

        assertThat(store.diagnostics().dialect().name()).isEqualTo("mysql");
        assertThat(store.diagnostics().dialect().schema()).isInstanceOf(MySqlSchema.class);
        assertThat(store.diagnostics().server().product()).isEqualTo("MariaDB");
        assertThat(store.diagnostics().server().version()).doesNotStartWith("5.5.5-").containsIgnoringCase("mariadb");
        assertThat(store.diagnostics().tieBreak()).isEqualTo(server.keepsDesc() ? TieBreak.ID_ASC : TieBreak.ID_DESC);
        List<Event> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(store.create(NewEvent.titled("Event " + i).withHostCode(BIG_HOST)));
            store.create(NewEvent.titled("Other " + i).withHostCode(HOST_B));
            if (i % 2 == 1) {
                clock.advance(Duration.ofMillis(1)); // pairs share a timestamp: ties on created_at
            }
        }
        List<Event> expected = new ArrayList<>(created);
        expected.sort(java.util.Comparator.comparing(Event::createdAt).reversed().thenComparing(
                store.diagnostics().tieBreak() == TieBreak.ID_ASC ? java.util.Comparator.comparingLong(Event::id)
                        : java.util.Comparator.comparingLong(Event::id).reversed()));

        assertThat(store.findByHost(BIG_HOST, 10, 0)).containsExactlyElementsOf(expected);
        assertThat(store.findByHost(BIG_HOST, 3, 2)).containsExactlyElementsOf(expected.subList(2, 5));
        List<Event> byKeyset = new ArrayList<>();
        Page page = store.findByHost(BIG_HOST, PageRequest.first(3));
        byKeyset.addAll(page.events());
        while (page.hasNext()) {
            page = store.findByHost(BIG_HOST, PageRequest.after(page.nextCursor().orElseThrow(), 3));
            byKeyset.addAll(page.events());
        }
        assertThat(byKeyset).containsExactlyElementsOf(expected);
        assertThat(migrator.verify().drift()).isEmpty();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("serversAndDrivers")
    void describe_namesMariaDb_andItsRealVersion_evenWhereTheDriverReports5_5_5(MariaDbServer server, Driver driver) throws SQLException {
        try (Connection c = server.dataSource(null, driver).getConnection()) {
            ServerInfo fromMetadata = ServerInfo.from(c);
            ServerInfo described = new MySqlDialectProvider().describe(c);
            Dialect bound = Dialects.forConnection(c);

            assertThat(bound.name()).isEqualTo("mysql");
            assertThat(bound.server()).isEqualTo(described);
            assertThat(bound.queries()).isInstanceOf(MySqlQueries.class);
            assertThat(described.product()).isEqualTo("MariaDB");
            assertThat(described.major()).isEqualTo(server.keepsDesc() ? 11 : 10);
            assertThat(described.minor()).isEqualTo(server.keepsDesc() ? 4 : 2);
            assertThat(MySqlDialectProvider.keepsDescendingIndexes(described)).isEqualTo(server.keepsDesc());
            if (driver == Driver.MYSQL) {
                // mysql-connector-j calls every server MySQL; on 10.x before 11 it also sees the 5.5.5- prefix.
                assertThat(fromMetadata.product()).isEqualTo("MySQL");
            }
        }
    }

    /**
     * {@code created_at} is UTC wall time whatever the session's {@code time_zone} and the JVM's default
     * zone: {@code DATETIME} is never converted by the server, and a {@code LocalDateTime} never by
     * either driver.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("serversAndDrivers")
    void createdAt_isStoredAndReadAsUtc_underANonUtcSessionAndJvmTimeZone(MariaDbServer server, Driver driver) throws SQLException {
        TimeZone jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kathmandu")); // +05:45, no DST: any conversion shows
        try {
            DataSource ds = server.dataSource(server.newDatabaseName(), driver, "sessionVariables=time_zone='-03:00'");
            Migrator.create(ds).upgrade("head");
            MutableClock clock = new MutableClock(T0);
            EventStore store = EventStore.builder(ds).clock(clock).build();
            Event first = store.create(NewEvent.titled("First").withHostCode(BIG_HOST));
            clock.advance(Duration.ofHours(7));
            Event second = store.create(NewEvent.titled("Second").withHostCode(BIG_HOST));

            try (Connection c = ds.getConnection()) {
                assertThat(Fixtures.rows(c, "SELECT @@session.time_zone AS tz").get(0).get("tz")).isEqualTo("-03:00");
                assertThat(Fixtures.rows(c, "SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s.%f') AS t FROM events ORDER BY id"))
                        .extracting(r -> r.get("t"))
                        .containsExactly("2025-10-08 20:52:27.123456", "2025-10-09 03:52:27.123456");
            }
            assertThat(first.createdAt()).isEqualTo(T0);
            assertThat(store.findByHost(BIG_HOST, 10, 0)).extracting(Event::createdAt)
                    .containsExactly(T0.plus(Duration.ofHours(7)), T0);
            // The keyset cursor binds created_at in the WHERE clause: it must land exactly on the stored value.
            Page page1 = store.findByHost(BIG_HOST, PageRequest.first(1));
            assertThat(store.findByHost(BIG_HOST, PageRequest.after(page1.nextCursor().orElseThrow(), 5)).events())
                    .containsExactly(store.findByHost(BIG_HOST, 1, 1).get(0));
            assertThat(second.createdAt()).isEqualTo(T0.plus(Duration.ofHours(7)));
        } finally {
            TimeZone.setDefault(jvmZone);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("serversAndDrivers")
    void errorCodes_duplicateKeyIsAUniqueViolation_notNullIsNot_rowLockWaitIsALockTimeout(MariaDbServer server, Driver driver)
            throws SQLException {
        Dialect dialect = server.dialect();
        DataSource ds = server.dataSource(server.newDatabaseName(), driver);
        Migrator.create(ds).upgrade("head");
        EventStore.builder(ds).clock(new MutableClock(T0)).build().create(NewEvent.titled("One").withSlug("one").withHostCode(BIG_HOST));
        String insert = "INSERT INTO events (title, slug, short_code, host_code, created_at) VALUES ('t', %s, 'ZZZZ0000', 'h', NOW())";
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            SQLException duplicate = catchThrowableOfType(SQLException.class, () -> s.execute(String.format(insert, "'one'")));
            assertThat(duplicate.getErrorCode()).isEqualTo(1062);
            assertThat(dialect.queries().isUniqueViolation(duplicate)).isTrue();
            SQLException notNull = catchThrowableOfType(SQLException.class, () -> s.execute(String.format(insert, "NULL")));
            assertThat(notNull.getSQLState()).startsWith("23");
            assertThat(dialect.queries().isUniqueViolation(notNull)).isFalse();
        }
        try (Connection holder = ds.getConnection(); Connection waiter = ds.getConnection()) {
            holder.setAutoCommit(false);
            holder.createStatement().executeQuery("SELECT id FROM events WHERE slug = 'one' FOR UPDATE").close();
            waiter.createStatement().execute("SET SESSION innodb_lock_wait_timeout = 1");
            SQLException timeout = catchThrowableOfType(SQLException.class,
                    () -> waiter.createStatement().execute("UPDATE events SET title = 'x' WHERE slug = 'one'"));
            assertThat(timeout.getErrorCode()).isEqualTo(1205);
            assertThat(dialect.migration().isLockTimeout(timeout)).isTrue();
            assertThat(dialect.migration().isLockTimeout(new SQLException("other", "HY000", 1064))).isFalse();
            holder.rollback();
        }
    }
}
