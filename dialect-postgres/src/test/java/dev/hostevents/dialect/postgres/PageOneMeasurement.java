package dev.hostevents.dialect.postgres;

import static dev.hostevents.dialect.postgres.Pg.execute;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.Page;
import dev.hostevents.PageRequest;
import dev.hostevents.migration.Migrator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * One measurement run for the issue note (not a test: timings are never asserted). On one database
 * with 1,000,000 events, 100,000 of them one host's, it times page 1 ({@code findByHost(host, 10, 0)})
 * without the composite index (revision {@code 9372cec8298d}), then builds it with {@code upgrade head}
 * while a writer inserts, then times page 1 again, and a keyset page deep in the host's events.
 *
 * <pre>
 * mvn -B -q -o -pl dialect-postgres test-compile exec:java \
 *     -Dexec.mainClass=dev.hostevents.dialect.postgres.PageOneMeasurement -Dexec.classpathScope=test
 * </pre>
 * Uses the embedded server, or {@code -Dhostevents.test.postgres.url=…} as the tests do.
 */
public final class PageOneMeasurement {
    private static final String BIG = "host_big000000001";
    private static final int ROWS = 1_000_000;
    private static final int BIG_ROWS = 100_000;

    private PageOneMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        PostgresExtension.Server server = PostgresExtension.Server.start();
        try {
            run(server);
        } finally {
            server.close();
        }
    }

    private static void run(PostgresExtension.Server server) throws Exception {
        System.out.println("server: " + server.describe());
        DataSource ds = server.createDatabase(null);
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("+1");
        load(ds);

        try (Pg.OneConnection pooled = new Pg.OneConnection(ds)) {
            EventStore store = EventStore.create(pooled);
            System.out.println("plan without the composite index: "
                    + ExplainPlan.parse(store.diagnostics().explainFindByHost(BIG, 10, 0).plan()).outline());
            long[] without = time(store, 20, 200);

            BuildFigures build = upgradeWhileWriting(ds, migrator);

            execute(ds, "ANALYZE events");
            System.out.println("plan with the composite index:    "
                    + ExplainPlan.parse(store.diagnostics().explainFindByHost(BIG, 10, 0).plan()).outline());
            long[] with = time(store, 500, 5_000);

            long[] keyset = timeKeyset(store, 50_000);

            System.out.printf(Locale.ROOT, "%n%,d events, %,d of them host %s; page 1 = findByHost(host, 10, 0),"
                    + " one pooled connection, server-side prepared statement%n", ROWS, BIG_ROWS, "host_big…");
            System.out.printf(Locale.ROOT, "page 1 without idx_host_event_created: median %,d µs, p90 %,d µs (%d runs)%n",
                    median(without), p90(without), without.length);
            System.out.printf(Locale.ROOT, "page 1 with idx_host_event_created:    median %,d µs, p90 %,d µs (%d runs)%n",
                    median(with), p90(with), with.length);
            System.out.printf(Locale.ROOT, "ratio (median without / median with): %.0fx%n", (double) median(without) / median(with));
            System.out.printf(Locale.ROOT, "keyset page at position 50,000, with the index: median %,d µs (%d runs)%n",
                    median(keyset), keyset.length);
            System.out.println(build);
        }
    }

    /** 1,000,000 rows: 100,000 for one host, 900 for each of 1,000 others; indexes rebuilt after the load. */
    private static void load(DataSource ds) {
        long start = System.nanoTime();
        List<String> indexes = Pg.queryStrings(ds, "SELECT indexdef FROM pg_indexes WHERE tablename = 'events'"
                + " AND indexname LIKE 'ix_events_%'");
        execute(ds, "DROP INDEX ix_events_id, ix_events_host_code, ix_events_short_code, ix_events_slug");
        execute(ds, "INSERT INTO events (title, slug, short_code, host_code, created_at)"
                + " SELECT 'event ' || g, 'seed-' || g, 'S' || g,"
                + " CASE WHEN g % 10 = 0 THEN '" + BIG + "' ELSE 'host_' || lpad((g % 1000)::text, 12, '0') END,"
                + " timestamp '2025-01-01' + g * interval '1 second' FROM generate_series(1, " + ROWS + ") g");
        for (String index : indexes) {
            execute(ds, index);
        }
        execute(ds, "VACUUM ANALYZE events");
        System.out.printf(Locale.ROOT, "loaded %,d rows in %.1f s%n", Pg.queryLong(ds, "SELECT count(*) FROM events"),
                (System.nanoTime() - start) / 1e9);
    }

    private static long[] time(EventStore store, int warmUp, int runs) {
        for (int i = 0; i < warmUp; i++) {
            store.findByHost(BIG, 10, 0);
        }
        long[] micros = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            List<Event> page = store.findByHost(BIG, 10, 0);
            micros[i] = (System.nanoTime() - start) / 1_000;
            if (page.size() != 10) {
                throw new IllegalStateException("page 1 has " + page.size() + " rows");
            }
        }
        return micros;
    }

    /** Times the keyset page right after {@code position} rows of the host (reached once by paging). */
    private static long[] timeKeyset(EventStore store, int position) {
        Page page = store.findByHost(BIG, PageRequest.first(100));
        for (int seen = 100; seen < position; seen += 100) {
            page = store.findByHost(BIG, PageRequest.after(page.nextCursor().orElseThrow(), 100));
        }
        String cursor = page.nextCursor().orElseThrow();
        long[] micros = new long[2_000];
        for (int i = -200; i < micros.length; i++) {
            long start = System.nanoTime();
            store.findByHost(BIG, PageRequest.after(cursor, 10));
            if (i >= 0) {
                micros[i] = (System.nanoTime() - start) / 1_000;
            }
        }
        return micros;
    }

    /** Runs {@code upgrade head} (the concurrent build) while one writer inserts through its own connection. */
    private static BuildFigures upgradeWhileWriting(DataSource ds, Migrator migrator) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> inserts = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        try (Pg.OneConnection writerConnection = new Pg.OneConnection(ds)) {
            EventStore writer = EventStore.create(writerConnection);
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                for (int n = 0; !stop.get(); n++) {
                    long start = System.nanoTime();
                    try {
                        writer.create(new NewEvent("written " + n, "written-" + n, null, "host_writer000001"));
                        inserts.add(new long[] {start, System.nanoTime()});
                    } catch (RuntimeException e) {
                        errors.add(e);
                        return;
                    }
                }
            });
            Thread.sleep(500);
            long start = System.nanoTime();
            migrator.upgrade("head");
            long end = System.nanoTime();
            stop.set(true);
            writing.get();
            long[] during = inserts.stream().filter(i -> i[0] >= start && i[1] <= end).mapToLong(i -> (i[1] - i[0]) / 1_000)
                    .sorted().toArray();
            long[] outside = inserts.stream().filter(i -> i[1] < start).mapToLong(i -> (i[1] - i[0]) / 1_000).sorted().toArray();
            return new BuildFigures((end - start) / 1_000_000, during, outside, errors.size());
        }
    }

    private record BuildFigures(long buildMillis, long[] during, long[] before, int errors) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "upgrade head (CREATE INDEX CONCURRENTLY on %,d rows) took %,d ms;"
                            + " %,d inserts ran during it, %d failed; insert latency during the build: median %,d µs, worst %,d µs"
                            + " (before it: median %,d µs, worst %,d µs)",
                    ROWS, buildMillis, during.length, errors, median(during), max(during), median(before), max(before));
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    private static long p90(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.9)];
    }

    private static long max(long[] values) {
        return Arrays.stream(values).max().orElse(0);
    }
}
