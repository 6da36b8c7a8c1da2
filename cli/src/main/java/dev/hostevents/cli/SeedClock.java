package dev.hostevents.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * The clock of {@code seed}: reading {@code k} is reading {@code k-1} plus a pseudo-random step, or
 * exactly reading {@code k-1} when {@code ties} has bit {@code k} set. From a fixed start and a seed,
 * so the same seed gives the same {@code created_at} values every time.
 */
final class SeedClock extends Clock {
    /** Where seeded data starts; fixed so a seed is reproducible. */
    static final Instant START = Instant.parse("2025-01-01T09:00:00Z");

    private final SplittableRandom random;
    private final BitSet ties;
    private final long meanStepMicros;
    private Instant last;
    private int reading;

    /**
     * @param seed the seed of the steps
     * @param ties the readings that repeat the previous one
     * @param meanStepMicros the mean step between two readings that differ
     */
    SeedClock(long seed, BitSet ties, long meanStepMicros) {
        this.random = new SplittableRandom(seed);
        this.ties = ties;
        this.meanStepMicros = Math.max(1, meanStepMicros);
    }

    @Override
    public synchronized Instant instant() {
        if (last == null) {
            last = START;
        } else if (!ties.get(reading)) {
            last = last.plusNanos((1 + random.nextLong(2 * meanStepMicros)) * 1000);
        }
        reading++;
        return last;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
