package dev.hostevents.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Microsecond arithmetic for {@code created_at}, the precision every dialect stores. */
public final class Micros {
    private Micros() {
    }

    public static long of(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    public static Instant toInstant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
