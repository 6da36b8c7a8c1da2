package dev.hostevents.bench;

import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.spi.QueryRole;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The write rows of the report: {@code EventStore.create} and {@code createAll} against what a
 * hand-written JDBC loop does for the same rows on the same connection, interleaved.
 *
 * <p>The hand-written side knows its slug and short code in advance (it allocates nothing, checks
 * nothing): one reused {@code INSERT … VALUES} with generated keys per event, and for batches one
 * JDBC batch of the rows in one transaction. {@code created_at} is bound the way the dialect binds
 * it (a string on most engines), which is what hand-written code for the same column type does.
 * Both sides write real rows into the fixture's table, after every read comparison has run.
 */
final class WriteComparisons {
    /** Rows per {@code createAll} call. */
    static final int BATCH = 1_000;
    private static final String INSERT = "INSERT INTO events (title, slug, description, short_code, host_code, created_at, is_active)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)";

    /** Receives one measured comparison. */
    interface Sink {
        void add(String name, String scale, Interleaved.Comparison c, String target, Boolean met, String meaning);
    }

    private final Fixture fixture;
    private final Interleaved.Budget budget;
    private final Sink sink;
    private final AtomicLong sequence = new AtomicLong();
    private final String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    /**
     * Whether the hand-written batch reads its ids back: every driver returns them but sqlite-jdbc
     * (last row only), where a hand-written batch would not ask, so neither does this baseline.
     */
    private final boolean readsKeys;

    WriteComparisons(Fixture fixture, Interleaved.Budget budget, Sink sink) {
        this.fixture = fixture;
        this.budget = budget;
        this.sink = sink;
        this.readsKeys = !fixture.server().productKey().contains("sqlite");
    }

    void run(java.io.PrintStream out) throws Exception {
        QueryRole q = fixture.dialect().queries();
        try (SingleConnectionDataSource single = new SingleConnectionDataSource(fixture.withIndex())) {
            EventStore store = EventStore.create(single);
            Connection raw = single.rawConnection();
            String host = "host_benchwrite01";
            try (PreparedStatement insert = q.prepareInsert(raw, INSERT)) {
                out.println("   create_vs_jdbc distinct titles …");
                Interleaved.Comparison distinct = Interleaved.compare(
                        () -> store.create(NewEvent.titled("Bench talk " + next()).withHostCode(host)).id(),
                        () -> handWritten(insert, q, host), budget);
                sink.add("create_vs_jdbc", "distinct titles", distinct, "<= 1.20x", distinct.ratio() <= 1.20,
                        "EventStore.create (slug derived from a new title each call) / one reused hand-written"
                                + " INSERT with generated keys, slug and short code known in advance");

                out.println("   create_vs_jdbc repeated title …");
                String title = "Weekly standup " + run;
                for (int i = 0; i < 9; i++) {
                    store.create(NewEvent.titled(title).withHostCode(host)); // base … base-9 taken: the steady state
                }
                Interleaved.Comparison repeated = Interleaved.compare(
                        () -> store.create(NewEvent.titled(title).withHostCode(host)).id(),
                        () -> handWritten(insert, q, host), budget);
                sink.add("create_vs_jdbc", "repeated title (base … base-9 taken)", repeated, "<= 1.20x",
                        repeated.ratio() <= 1.20,
                        "EventStore.create of one title again and again (random-suffix slugs) / the same hand-written INSERT");
            }

            out.println("   create_all_vs_jdbc_batch …");
            try (PreparedStatement batch = q.prepareInsert(raw, INSERT)) {
                Interleaved.Comparison all = Interleaved.compare(
                        () -> store.createAll(newBatch(host)).size(),
                        () -> handWrittenBatch(raw, batch, q, host), budget);
                sink.add("create_all_vs_jdbc_batch", "events=" + BATCH, all, "<= 1.50x", all.ratio() <= 1.50,
                        "EventStore.createAll of " + BATCH + " new titles / one hand-written JDBC batch of "
                                + BATCH + " rows in one transaction" + (readsKeys ? ", ids read back" : ""));
            }
        }
    }

    private String next() {
        return run + "-" + sequence.incrementAndGet();
    }

    private List<NewEvent> newBatch(String host) {
        List<NewEvent> events = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            events.add(NewEvent.titled("Bench batch " + next()).withHostCode(host));
        }
        return events;
    }

    private long handWritten(PreparedStatement insert, QueryRole q, String host) throws SQLException {
        String n = next();
        bind(insert, q, "Hand written " + n, "hand-" + n, host, "J" + n);
        insert.executeUpdate();
        try (ResultSet keys = insert.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }

    private long handWrittenBatch(Connection c, PreparedStatement batch, QueryRole q, String host) throws SQLException {
        c.setAutoCommit(false);
        try {
            for (int i = 0; i < BATCH; i++) {
                String n = next();
                bind(batch, q, "Hand batch " + n, "hand-batch-" + n, host, "B" + n);
                batch.addBatch();
            }
            batch.executeBatch();
            long sum = 0;
            if (readsKeys) {
                try (ResultSet keys = batch.getGeneratedKeys()) {
                    while (keys.next()) {
                        sum += keys.getLong(1);
                    }
                }
            }
            c.commit();
            return sum;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static void bind(PreparedStatement ps, QueryRole q, String title, String slug, String host, String shortCode)
            throws SQLException {
        ps.setString(1, title);
        ps.setString(2, slug);
        ps.setString(3, null);
        ps.setString(4, shortCode.length() > 20 ? shortCode.substring(0, 20) : shortCode);
        ps.setString(5, host);
        q.bindCreatedAt(ps, 6, Instant.now());
        ps.setBoolean(7, true);
    }
}
