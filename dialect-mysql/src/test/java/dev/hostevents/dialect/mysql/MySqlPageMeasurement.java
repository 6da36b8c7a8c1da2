package dev.hostevents.dialect.mysql;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.PageRequest;
import dev.hostevents.internal.CursorCodec;
import dev.hostevents.internal.EventQueries;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.Dialects;
import dev.hostevents.spi.PlanReport;
import dev.hostevents.spi.QueryRole;
import dev.hostevents.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbPoolDataSource;

/**
 * Page-1 and deep-page times of the page queries on the old (drops {@code DESC}) and the new MariaDB
 * server, with and without {@code idx_host_event_created}, measured in one run. Not a test (timings
 * never are): run it by hand, e.g. from the repository root:
 *
 * <pre>
 * mvn -B -q -o -pl dialect-mysql test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *     -Dexec.args="-cp %classpath dev.hostevents.dialect.mysql.MySqlPageMeasurement 300000 100000"
 * </pre>
 *
 * <p>Arguments: total rows (default 300,000), rows of the one big host (default 100,000). The other
 * rows belong to 2,000 small hosts. Each query runs until 101 timed repetitions or 10 s (at least 11),
 * after 10 untimed ones; the median and 90th percentile of the wall time of the store call (JDBC round
 * trip included, connection from a pool of the MariaDB driver) are printed. The servers are the test
 * servers of {@link MariaDbServer} (data on tmpfs, redo log flushed once a second).
 */
public final class MySqlPageMeasurement {
    private static final String BIG = "host_aaaaaaaa0001";
    private static final byte[] KEY = "measurement-cursor-key".getBytes(StandardCharsets.UTF_8);
    private static final int SMALL_HOSTS = 2_000;

    private MySqlPageMeasurement() {
    }

    /** Runs the measurement; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int big = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        List<String> table = new ArrayList<>();
        table.add("| server | composite index | query | median | p90 | reps | plan |");
        table.add("|---|---|---|---:|---:|---:|---|");
        List<String> ratios = new ArrayList<>();
        for (MariaDbServer server : List.of(MariaDbServer.OLD, MariaDbServer.NEW)) {
            // Pooled, as in an application: a new connection per call would be most of what is timed.
            DataSource ds = new MariaDbPoolDataSource(server.url(server.newDatabaseName(), MariaDbServer.Driver.MARIADB,
                    "maxPoolSize=4"));
            Migrator migrator = Migrator.create(ds);
            migrator.upgrade("head");
            long loadStart = System.nanoTime();
            load(ds, total, big);
            System.out.printf(Locale.ROOT, "%s: loaded %,d rows (%,d for one host) in %.1f s%n", server.server(), total, big,
                    (System.nanoTime() - loadStart) / 1e9);
            EventStore store = EventStore.builder(ds).clock(new MutableClock(Instant.now())).cursorKey(KEY).build();
            CursorCodec cursors = new CursorCodec(KEY);
            int depth = big * 9 / 10;
            Event deep = store.findByHost(BIG, 1, Math.min(depth, EventStore.MAX_OFFSET)).get(0);
            String deepCursor = cursors.encode(BIG, store.diagnostics().tieBreak(), deep.createdAt(), deep.id());
            int deepOffset = Math.min(depth, EventStore.MAX_OFFSET);
            double[][] medians = new double[2][];
            for (boolean withIndex : new boolean[] {true, false}) {
                if (!withIndex) {
                    migrator.downgrade("-1");
                }
                analyze(ds);
                String label = withIndex ? "yes" : "no (ix_events_host_code only)";
                String name = server.server().product() + " " + server.server().version();
                List<Double> m = new ArrayList<>();
                m.add(row(table, name, label, "page 1, offset 0", () -> store.findByHost(BIG, 10, 0),
                        store.diagnostics().explainFindByHost(BIG, 10, 0)));
                m.add(row(table, name, label, "keyset page 1", () -> store.findByHost(BIG, PageRequest.first(10)),
                        store.diagnostics().explainFindByHost(BIG, 10, 0)));
                m.add(row(table, name, label, String.format(Locale.ROOT, "keyset after row %,d", depth),
                        () -> store.findByHost(BIG, PageRequest.after(deepCursor, 10)),
                        store.diagnostics().explainKeyset(BIG, 10, deep.createdAt(), deep.id())));
                m.add(row(table, name, label, String.format(Locale.ROOT, "offset %,d", deepOffset),
                        () -> store.findByHost(BIG, 10, deepOffset), store.diagnostics().explainFindByHost(BIG, 10, deepOffset)));
                medians[withIndex ? 0 : 1] = m.stream().mapToDouble(Double::doubleValue).toArray();
                if (withIndex) {
                    handlerEvidence(ds, store, deep);
                }
            }
            String[] names = {"page 1", "keyset page 1", "deep keyset", "deep offset"};
            for (int i = 0; i < names.length; i++) {
                ratios.add(String.format(Locale.ROOT, "%s, %s: without/with index = %.1fx", server.server().version(), names[i],
                        medians[1][i] / medians[0][i]));
            }
            ratios.add(String.format(Locale.ROOT, "%s, with index: deep keyset / page 1 = %.2fx", server.server().version(),
                    medians[0][2] / medians[0][0]));
        }
        System.out.println();
        table.forEach(System.out::println);
        System.out.println();
        ratios.forEach(System.out::println);
        System.exit(0); // the embedded servers' shutdown hooks stop them
    }

    /** Bulk insert: the big host's rows spread evenly among the others, created_at ascending, in pairs. */
    private static void load(DataSource ds, int total, int big) throws SQLException {
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        int perStatement = 1_000;
        StringBuilder sql = new StringBuilder("INSERT INTO events (title, slug, short_code, host_code, created_at, is_active) VALUES ");
        for (int i = 0; i < perStatement; i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, 1)");
        }
        if (total % perStatement != 0) {
            throw new IllegalArgumentException("total rows must be a multiple of " + perStatement);
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            QueryRole dialect = Dialects.forConnection(c).queries();
            c.setAutoCommit(false);
            for (int start = 0; start < total; start += perStatement) {
                int p = 1;
                for (int n = start; n < start + perStatement; n++) {
                    boolean isBig = (long) n * big / total != (long) (n + 1) * big / total;
                    ps.setString(p++, "Event " + n);
                    ps.setString(p++, "e-" + n);
                    ps.setString(p++, String.format(Locale.ROOT, "%08d", n));
                    ps.setString(p++, isBig ? BIG : String.format(Locale.ROOT, "host_%012d", n % SMALL_HOSTS));
                    dialect.bindCreatedAt(ps, p++, t0.plusMillis(n / 2));
                }
                ps.executeUpdate();
                c.commit();
            }
            c.setAutoCommit(true);
        }
    }

    private static void analyze(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE TABLE events");
        }
    }

    private static double row(List<String> table, String server, String index, String query, Supplier<?> call, PlanReport plan) {
        double[] micros = time(call);
        String first = plan.plan().lines().findFirst().orElse("");
        String access = first.replaceAll(".*\\btype=(\\w+).*\\bkey=(\\w+).*\\brows=(\\d+).*\\bExtra=(.*)", "$1 on $2, rows≈$3, $4");
        table.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d | %s: %s |", server, index, query, fmt(micros[0]),
                fmt(micros[1]), (int) micros[2], plan.verdict(), access));
        System.out.println(table.get(table.size() - 1));
        return micros[0];
    }

    private static String fmt(double micros) {
        return micros >= 1_000 ? String.format(Locale.ROOT, "%.2f ms", micros / 1_000) : String.format(Locale.ROOT, "%.0f µs", micros);
    }

    /** Median, p90 (µs) and the number of timed repetitions. */
    private static double[] time(Supplier<?> call) {
        for (int i = 0; i < 10; i++) {
            call.get();
        }
        List<Double> samples = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (samples.size() < 101 && (samples.size() < 11 || System.nanoTime() < deadline)) {
            long start = System.nanoTime();
            call.get();
            samples.add((System.nanoTime() - start) / 1_000.0);
        }
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return new double[] {sorted[sorted.length / 2], sorted[(int) Math.ceil(sorted.length * 0.9) - 1], sorted.length};
    }

    /** The session's index reads for page 1 and the deep keyset page: a count, not a timing. */
    private static void handlerEvidence(DataSource ds, EventStore store, Event deep) throws SQLException {
        EventQueries queries = new EventQueries(store.diagnostics().dialect(), false);
        try (Connection c = ds.getConnection()) {
            Map<String, Long> page1 = Fixtures.handlerReadsOf(c, queries.page, BIG, 10, 0, null, 0);
            Map<String, Long> keyset = Fixtures.handlerReadsOf(c, queries.keysetAfter, BIG, 10, 0, deep.createdAt(), deep.id());
            System.out.println("Handler_read deltas, page 1:      " + page1);
            System.out.println("Handler_read deltas, deep keyset: " + keyset);
        }
    }
}
