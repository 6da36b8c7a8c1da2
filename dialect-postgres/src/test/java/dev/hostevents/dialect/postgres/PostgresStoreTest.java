package dev.hostevents.dialect.postgres;

import static dev.hostevents.dialect.postgres.Pg.execute;
import static dev.hostevents.dialect.postgres.Pg.queryString;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.Page;
import dev.hostevents.PageRequest;
import dev.hostevents.migration.Migrator;
import dev.hostevents.testing.MutableClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store on PostgreSQL: {@code created_at} in any session time zone and column type, prepared statements. */
class PostgresStoreTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.instance();

    private static final Instant T0 = Instant.parse("2025-10-08T20:52:27.123456Z");
    private static final String HOST = "host_aaaaaaaa0001";

    private DataSource ds;

    @BeforeEach
    void freshDatabase() {
        ds = POSTGRES.newDatabase();
        Migrator.create(ds).upgrade("head");
    }

    @Test
    void createdAt_isStoredAsUtcWallTime_whateverTheSessionTimeZone() throws SQLException {
        try (Pg.OneConnection kathmandu = inTimeZone("Asia/Kathmandu")) {
            EventStore store = EventStore.builder(kathmandu).clock(new MutableClock(T0)).build();
            Event e = store.create(NewEvent.titled("Late night").withHostCode(HOST));

            assertThat(queryString(ds, "SELECT created_at::text FROM events")).isEqualTo("2025-10-08 20:52:27.123456");
            assertThat(store.findByHost(HOST, 1, 0).get(0).createdAt()).isEqualTo(T0);
            assertThat(e.createdAt()).isEqualTo(T0);
        }
    }

    @Test
    void createdAt_inAUsersTimestamptzColumn_isReadWrittenAndPagedExactly_inANonUtcSession() throws SQLException {
        execute(ds, "ALTER TABLE events ALTER COLUMN created_at TYPE timestamptz USING created_at AT TIME ZONE 'UTC'");
        try (Pg.OneConnection kathmandu = inTimeZone("Asia/Kathmandu")) {
            MutableClock clock = new MutableClock(T0);
            EventStore store = EventStore.builder(kathmandu).clock(clock).build();
            List<Event> created = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                created.add(store.create(NewEvent.titled("e" + i).withHostCode(HOST)));
                if (i % 2 == 1) {
                    clock.advance(Duration.ofNanos(1_000));
                }
            }

            assertThat(queryString(ds, "SELECT min(created_at) AT TIME ZONE 'UTC' FROM events")).isEqualTo("2025-10-08 20:52:27.123456");
            List<Event> newestFirst = store.findByHost(HOST, 10, 0);
            assertThat(newestFirst).extracting(Event::createdAt).first().isEqualTo(T0.plusNanos(3_000));
            assertThat(newestFirst).extracting(Event::createdAt).last().isEqualTo(T0);
            List<Event> byKeyset = new ArrayList<>();
            Page page = store.findByHost(HOST, PageRequest.first(2));
            byKeyset.addAll(page.events());
            while (page.hasNext()) {
                page = store.findByHost(HOST, PageRequest.after(page.nextCursor().orElseThrow(), 2));
                byKeyset.addAll(page.events());
            }
            assertThat(byKeyset).containsExactlyElementsOf(newestFirst);
            assertThat(byKeyset).containsExactlyInAnyOrderElementsOf(created);
        }
    }

    /**
     * pgjdbc turns a statement into a named server-side prepared statement once the same SQL ran
     * {@code prepareThreshold} (5) times on a connection, even through new {@code PreparedStatement}
     * objects: the page query is parsed and planned once per pooled connection, not once per call.
     */
    @Test
    void pageQuery_becomesAServerSidePreparedStatement_reusedAcrossCalls() throws SQLException {
        try (Pg.OneConnection pooled = new Pg.OneConnection(ds)) {
            EventStore store = EventStore.create(pooled);
            store.create(NewEvent.titled("one").withHostCode(HOST));
            for (int i = 0; i < 8; i++) {
                store.findByHost(HOST, 10, 0);
            }

            String prepared = queryString(pooled.real(),
                    "SELECT statement || ' | ' || (generic_plans + custom_plans) FROM pg_prepared_statements"
                            + " WHERE statement LIKE '%ORDER BY created_at DESC, id ASC OFFSET%'");
            assertThat(prepared).isNotNull();
            String[] parts = prepared.split(" \\| ");
            assertThat(parts[0]).contains("WHERE host_code = $1").doesNotContain(HOST);
            assertThat(Integer.parseInt(parts[1])).isGreaterThanOrEqualTo(3);
        }
    }

    private Pg.OneConnection inTimeZone(String zone) throws SQLException {
        Pg.OneConnection one = new Pg.OneConnection(ds);
        try (Connection c = one.getConnection()) {
            c.createStatement().execute("SET TIME ZONE '" + zone + "'");
        }
        return one;
    }
}
