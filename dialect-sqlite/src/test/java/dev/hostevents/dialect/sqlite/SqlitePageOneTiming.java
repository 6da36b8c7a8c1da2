package dev.hostevents.dialect.sqlite;

import dev.hostevents.EventStore;
import dev.hostevents.migration.Migrator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A rough measurement for issue #4's note, not a test and not a benchmark (the bench module makes it
 * rigorous): page 1 ({@code LIMIT 10 OFFSET 0}) of one host with 100,000 events among 1,000,000 rows,
 * with the composite index and with {@code ix_events_host_code} alone, in one run on one file. Also a
 * deep offset page and a deep keyset page against page 1, to show the keyset cost does not grow.
 *
 * <p>Run: {@code mvn -q -o -pl dialect-sqlite test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.hostevents.dialect.sqlite.SqlitePageOneTiming}. Optional arguments: total rows,
 * rows of the big host.
 */
public final class SqlitePageOneTiming {
    private static final String BIG_HOST = "host_bigbigbig0001";
    private static final String REFERENCE_QUERY = "SELECT * FROM events WHERE host_code = ? ORDER BY created_at DESC LIMIT 10 OFFSET 0";

    private SqlitePageOneTiming() {
    }

    /** Builds the file, measures, prints the medians, deletes the file. */
    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int big = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Path dir = Files.createTempDirectory("hostevents-timing");
        Path file = dir.resolve("timing.db");
        try {
            run(file, total, big);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }

    private static void run(Path file, int total, int big) throws SQLException {
        DataSource ds = SqliteDataSources.file(file);
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("+1"); // table and the four initial indexes; the composite index is built after the rows
        long t0 = System.nanoTime();
        fill(ds, total, big);
        System.out.printf(Locale.ROOT, "inserted %,d rows (%,d for one host, the rest over %,d hosts of 100) in %.1f s%n",
                total, big, (total - big) / 100, (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        migrator.upgrade("head");
        System.out.printf(Locale.ROOT, "built idx_host_event_created in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        EventStore store = EventStore.create(ds);
        try (Connection c = ds.getConnection()) {
            System.out.println("sqlite " + c.getMetaData().getDatabaseProductVersion() + ", java " + System.getProperty("java.version"));
            String deepCursorCreatedAt;
            long deepCursorId;
            try (PreparedStatement ps = c.prepareStatement(store.diagnostics().pageQuerySql())) {
                ps.setString(1, BIG_HOST);
                ps.setInt(2, 1);
                ps.setInt(3, big / 2);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    deepCursorId = rs.getLong(1);
                    deepCursorCreatedAt = rs.getString(7);
                }
            }

            System.out.println("\n== with idx_host_event_created (head)");
            double composite = measure(c, "reference query page 1", REFERENCE_QUERY, 3000, BIG_HOST);
            measure(c, "store page 1 (created_at DESC, id ASC)", store.diagnostics().pageQuerySql(), 3000, BIG_HOST, 10, 0);
            measure(c, "store offset page at " + big / 2, store.diagnostics().pageQuerySql(), 50, BIG_HOST, 10, big / 2);
            measure(c, "store keyset page at " + big / 2, store.diagnostics().keysetQuerySql(), 3000,
                    BIG_HOST, deepCursorCreatedAt, deepCursorCreatedAt, deepCursorId, 11);

            migrator.downgrade("-1");
            System.out.println("\n== with ix_events_host_code alone (downgrade -1)");
            double single = measure(c, "reference query page 1", REFERENCE_QUERY, 50, BIG_HOST);
            measure(c, "store page 1 (created_at DESC, id ASC)", store.diagnostics().pageQuerySql(), 50, BIG_HOST, 10, 0);

            System.out.printf(Locale.ROOT, "%npage 1 of a host with %,d events among %,d rows: composite %.1f µs, "
                    + "ix_events_host_code alone %.1f µs, ratio %.0fx%n", big, total, composite, single, single / composite);
        }
    }

    /** One transaction, plain JDBC batches: a million rows in seconds. */
    private static void fill(DataSource ds, int total, int big) throws SQLException {
        Random random = new Random(4);
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        int stride = Math.max(1, total / big); // the big host's rows are spread over the whole time range
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (title, slug, description, short_code, host_code,"
                    + " created_at, is_active) VALUES (?, ?, NULL, ?, ?, ?, 1)")) {
                int bigLeft = big;
                int other = 0;
                for (int i = 0; i < total; i++) {
                    boolean isBig = bigLeft > 0 && (i % stride == 0 || total - i <= bigLeft);
                    String host;
                    if (isBig) {
                        host = BIG_HOST;
                        bigLeft--;
                    } else {
                        host = String.format(Locale.ROOT, "host_%012d", other++ / 100);
                    }
                    ps.setString(1, "Event " + i);
                    ps.setString(2, "event-" + i);
                    ps.setString(3, String.format(Locale.ROOT, "%08X", i));
                    ps.setString(4, host);
                    // ~30 s apart with jitter: distinct, increasing times
                    ps.setString(5, SqliteTimestampConverter.format(start.plusSeconds(30L * i).plusNanos(random.nextInt(1_000_000) * 1_000L)));
                    ps.addBatch();
                    if (i % 10_000 == 9_999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /** Median wall time of executing the query and reading every column of every row, after a warm-up. */
    private static double measure(Connection c, String label, String sql, int runs, Object... args) throws SQLException {
        // The dialect's own EXPLAIN: it refreshes the connection's schema after the downgrade ran elsewhere.
        String plan = new SqliteQueries().explain(c, sql, ps -> bind(ps, args), "idx_host_event_created").plan()
                .replace("\n", " / ");
        long[] nanos = new long[runs];
        int rows = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            for (int i = 0; i < Math.max(5, runs / 5); i++) {
                rows = readAll(ps);
            }
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                rows = readAll(ps);
                nanos[i] = System.nanoTime() - t;
            }
        }
        Arrays.sort(nanos);
        double median = nanos[runs / 2] / 1e3;
        System.out.printf(Locale.ROOT, "%-42s median %10.1f µs (p10 %.1f, p90 %.1f, %d runs, %d rows)  plan: %s%n", label, median,
                nanos[runs / 10] / 1e3, nanos[runs * 9 / 10] / 1e3, runs, rows, plan);
        return median;
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private static int readAll(PreparedStatement ps) throws SQLException {
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    rs.getObject(i);
                }
                rows++;
            }
        }
        return rows;
    }
}
