package dev.hostevents.bench;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.table;

import dev.hostevents.spi.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.jooq.impl.DSL;

/**
 * The benchmark's rows, made from a {@link DataSpec}'s seed alone. Same seed, same rows.
 *
 * <p>How they are made (each step from its own random stream, so one can change without moving
 * the others):
 * <ol>
 *   <li>Host codes: {@code host_} + 12 random letters or digits, distinct. The measured hosts come
 *       first, one per entry of {@link DataSpec#hostSizes()}; the other hosts take 1–199 events each
 *       until {@link DataSpec#totalRows()} is reached.</li>
 *   <li>Who owns which row: every host's events are shuffled together (Fisher–Yates), so a host's
 *       rows are spread over the whole table as they are in a live app, not stored next to each
 *       other.</li>
 *   <li>Rows in id order: {@code created_at} starts at 2024-01-01T00:00:00Z and grows by 1 µs–2 s
 *       per row, with one row in 64 sharing the previous row's time (ties exercise the id
 *       tie-break); title {@code Session <n>}, slug {@code session-<n>}, a description of 20–300
 *       characters on 70% of rows, a distinct 8-character short code, 1 row in 20 inactive.</li>
 * </ol>
 * Rows are streamed into the database with one prepared INSERT in batches inside one transaction;
 * the database assigns ids 1…N in that order.
 */
public final class SeededEventData {
    private static final char[] HOST_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] SHORT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();
    private static final String[] WORDS = {"question", "answer", "poll", "vote", "session", "keynote", "panel",
        "audience", "speaker", "moderator", "topic", "slide", "room", "stage", "break", "welcome", "closing"};
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final int BATCH = 2_000;
    /** 31^8: short codes are the row number scrambled by a bijection of [0, 31^8). */
    private static final long SHORT_SPACE = 852_891_037_441L;

    private final DataSpec spec;
    private final String[] hostCodes;
    private final int[] owners;
    private final Map<Integer, String> measuredHosts = new LinkedHashMap<>();

    /** Works out host codes and row owners; rows themselves are made while loading. */
    public SeededEventData(DataSpec spec) {
        this.spec = spec;
        SplittableRandom codes = new SplittableRandom(spec.seed());
        SplittableRandom shares = new SplittableRandom(spec.seed() * 31 + 1);
        int[] counts = new int[spec.totalRows()];
        int hosts = 0;
        int left = spec.totalRows();
        for (int size : spec.hostSizes()) {
            counts[hosts++] = size;
            left -= size;
        }
        while (left > 0) {
            int size = Math.min(left, 1 + shares.nextInt(199));
            counts[hosts++] = size;
            left -= size;
        }
        Set<String> seen = new HashSet<>();
        hostCodes = new String[hosts];
        for (int h = 0; h < hosts; h++) {
            String code;
            do {
                code = hostCode(codes);
            } while (!seen.add(code));
            hostCodes[h] = code;
        }
        for (int i = 0; i < spec.hostSizes().size(); i++) {
            measuredHosts.put(spec.hostSizes().get(i), hostCodes[i]);
        }
        owners = new int[spec.totalRows()];
        int row = 0;
        for (int h = 0; h < hosts; h++) {
            for (int k = 0; k < counts[h]; k++) {
                owners[row++] = h;
            }
        }
        SplittableRandom shuffle = new SplittableRandom(spec.seed() * 31 + 2);
        for (int i = owners.length - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int t = owners[i];
            owners[i] = owners[j];
            owners[j] = t;
        }
    }

    /** The spec these rows follow. */
    public DataSpec spec() {
        return spec;
    }

    /** Host code of the measured host with exactly {@code events} events. Never print it. */
    public String hostWith(int events) {
        String code = measuredHosts.get(events);
        if (code == null) {
            throw new IllegalArgumentException("no measured host with " + events + " events");
        }
        return code;
    }

    /** Number of distinct hosts in the table. */
    public int hostCount() {
        return hostCodes.length;
    }

    /**
     * Inserts every row into an empty {@code events} table in one transaction.
     *
     * @return a fingerprint of the rows written (equal for equal seeds), for the report
     */
    public long load(DataSource dataSource, Dialect dialect) throws SQLException {
        // Rendered by jOOQ for the dialect, identifiers exactly as the migration wrote them.
        String sql = BenchSql.dsl(dialect).render(DSL.insertInto(table(name("events")),
                        field(name("title")), field(name("slug")), field(name("description")), field(name("short_code")),
                        field(name("host_code")), field(name("created_at")), field(name("is_active")))
                .values(param("title"), param("slug"), param("description"), param("short_code"), param("host_code"),
                        param("created_at"), param("is_active")));
        SplittableRandom rows = new SplittableRandom(spec.seed() * 31 + 3);
        long fingerprint = 1469598103934665603L;
        long micros = 0;
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < owners.length; i++) {
                    int n = i + 1;
                    if (rows.nextInt(64) != 0) {
                        micros += 1 + rows.nextLong(2_000_000);
                    }
                    Instant createdAt = START.plusNanos(micros * 1_000);
                    String description = rows.nextInt(10) < 3 ? null : description(rows, 20 + rows.nextInt(281));
                    boolean active = rows.nextInt(20) != 0;
                    String host = hostCodes[owners[i]];
                    ps.setString(1, "Session " + n);
                    ps.setString(2, "session-" + n);
                    ps.setString(3, description);
                    ps.setString(4, shortCode(n));
                    ps.setString(5, host);
                    dialect.queries().bindCreatedAt(ps, 6, createdAt);
                    ps.setBoolean(7, active);
                    ps.addBatch();
                    fingerprint = mix(fingerprint, host.hashCode(), micros, description == null ? 0 : description.hashCode(),
                            active ? 1 : 0);
                    if (n % BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
        return fingerprint;
    }

    private static long mix(long h, long a, long b, long c, long d) {
        for (long v : new long[] {a, b, c, d}) {
            h ^= v;
            h *= 1099511628211L;
        }
        return h;
    }

    private static String hostCode(SplittableRandom r) {
        char[] out = new char[12];
        for (int i = 0; i < out.length; i++) {
            out[i] = HOST_ALPHABET[r.nextInt(HOST_ALPHABET.length)];
        }
        return "host_" + new String(out);
    }

    /** Distinct for distinct n: multiplying by a number prime to 31 permutes [0, 31^8). */
    private String shortCode(long n) {
        long v = Math.floorMod(n * 1_000_003L + spec.seed(), SHORT_SPACE);
        char[] out = new char[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = SHORT_ALPHABET[(int) (v % 31)];
            v /= 31;
        }
        return new String(out);
    }

    private static String description(SplittableRandom r, int length) {
        StringBuilder sb = new StringBuilder(length + 12);
        while (sb.length() < length) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[r.nextInt(WORDS.length)]);
        }
        sb.setLength(length);
        return sb.toString().strip();
    }
}
