package dev.hostevents.bench;

import java.util.List;
import java.util.Objects;

/**
 * What data a benchmark runs on. Rows are made by {@link SeededEventData} from {@link #seed()} alone,
 * so the same spec gives the same rows, ids and host codes on every run and every database.
 *
 * @param label {@code full}, {@code quick} or {@code tiny}, as the report prints it
 * @param seed seed of every random choice
 * @param totalRows rows in the {@code events} table, all hosts together
 * @param hostSizes one measured host per entry, with exactly that many events; the rest of the rows
 *     belong to other hosts with 1–199 events each (100 on average)
 * @param deepPosition how many of the largest host's events a deep page skips (keyset and OFFSET)
 */
public record DataSpec(String label, long seed, int totalRows, List<Integer> hostSizes, int deepPosition) {
    /** The seed every documented run uses. */
    public static final long DEFAULT_SEED = 20251008L;
    /** Rows per page of every measured query, as in the reference's {@code limit=10}. */
    public static final int PAGE_SIZE = 10;

    public DataSpec {
        Objects.requireNonNull(label, "label");
        hostSizes = List.copyOf(hostSizes);
        int measured = hostSizes.stream().mapToInt(Integer::intValue).sum();
        if (measured > totalRows) {
            throw new IllegalArgumentException("measured hosts need " + measured + " rows, total is " + totalRows);
        }
        if (deepPosition + PAGE_SIZE > largestHost(hostSizes)) {
            throw new IllegalArgumentException("deep position " + deepPosition + " is past the largest host");
        }
    }

    /** The sizes: 10 … 100,000 events for one host, 1,000,000 rows in all. */
    public static DataSpec full() {
        return new DataSpec("full", DEFAULT_SEED, 1_000_000, List.of(10, 100, 1_000, 10_000, 100_000), 50_000);
    }

    /** Smaller, for a run under a minute: 10 … 10,000 events for one host, 100,000 rows. */
    public static DataSpec quick() {
        return new DataSpec("quick", DEFAULT_SEED, 100_000, List.of(10, 100, 1_000, 10_000), 5_000);
    }

    /** Tiny, for the smoke test: proves the report runs, measures nothing worth reading. */
    public static DataSpec tiny() {
        return new DataSpec("tiny", DEFAULT_SEED, 3_000, List.of(10, 100, 1_000), 500);
    }

    /** By name: {@code full}, {@code quick} or {@code tiny}. */
    public static DataSpec named(String name) {
        return switch (name) {
            case "full" -> full();
            case "quick" -> quick();
            case "tiny" -> tiny();
            default -> throw new IllegalArgumentException("data must be full, quick or tiny, not " + name);
        };
    }

    /** The measured host with the most events (deep pages are read there). */
    public int largestHost() {
        return largestHost(hostSizes);
    }

    private static int largestHost(List<Integer> sizes) {
        return sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
