package dev.hostevents.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures two operations side by side in the same process: after a shared warm-up, batches of the
 * one and of the other alternate (ABBA order, so neither always runs second), each batch long enough
 * to average out timer resolution, and each side's result is the median of its batches. On a noisy
 * two-core machine, a burst of other load then hits both sides alike instead of one of them.
 */
public final class Interleaved {
    /** Keeps results alive so the JIT cannot drop a call whose answer nobody reads. */
    private static volatile long sink;

    private Interleaved() {
    }

    /** One call of the operation under test; returns something derived from its result (e.g. rows read). */
    @FunctionalInterface
    public interface Op {
        /** Runs once. */
        long run() throws Exception;
    }

    /**
     * How long to measure.
     *
     * @param warmupMillis both sides, alternating, before anything is recorded
     * @param batchMillis aimed-for length of one timed batch (a slow call is one batch by itself)
     * @param rounds timed batches per side
     * @param maxMillis stop after this much measuring even if rounds are left (at least 3 rounds run)
     */
    public record Budget(long warmupMillis, long batchMillis, int rounds, long maxMillis) {
        /** For the full report. */
        public static Budget full() {
            return new Budget(1_500, 10, 61, 20_000);
        }

        /** For {@code report --quick}. */
        public static Budget quick() {
            return new Budget(300, 5, 25, 2_500);
        }

        /** For the smoke test: proves the code path, measures nothing worth reading. */
        public static Budget tiny() {
            return new Budget(20, 2, 3, 300);
        }
    }

    /**
     * A comparison's outcome.
     *
     * @param valueUs median µs per call of the measured side
     * @param baselineUs median µs per call of the baseline
     * @param ratio {@code valueUs / baselineUs}
     * @param ratioP25 25th percentile of the per-round ratios (spread of the measurement)
     * @param ratioP75 75th percentile of the per-round ratios
     * @param minRatio fastest batch of one side over fastest of the other: what the ratio is when
     *     neither side was slowed by other load (noise only ever adds time)
     * @param rounds timed rounds per side
     */
    public record Comparison(double valueUs, double baselineUs, double ratio, double ratioP25, double ratioP75,
            double minRatio, int rounds) {
    }

    /** Warms both up together, then alternates timed batches; medians per side. */
    public static Comparison compare(Op value, Op baseline, Budget budget) throws Exception {
        long[] spent = new long[2];
        long[] calls = new long[2];
        Op[] ops = {value, baseline};
        long warmEnd = System.nanoTime() + budget.warmupMillis() * 1_000_000;
        do {
            for (int side = 0; side < 2; side++) {
                long t0 = System.nanoTime();
                sink += ops[side].run();
                spent[side] += System.nanoTime() - t0;
                calls[side]++;
            }
        } while (System.nanoTime() < warmEnd || calls[0] < 3);
        int[] batch = new int[2];
        for (int side = 0; side < 2; side++) {
            double perCall = (double) spent[side] / calls[side];
            batch[side] = (int) Math.max(1, Math.min(1_000_000, budget.batchMillis() * 1e6 / perCall));
        }
        List<Double> values = new ArrayList<>();
        List<Double> baselines = new ArrayList<>();
        long stop = System.nanoTime() + budget.maxMillis() * 1_000_000;
        for (int round = 0; round < budget.rounds(); round++) {
            boolean valueFirst = round % 2 == 0;
            double a = 0;
            double b = 0;
            for (int k = 0; k < 2; k++) {
                boolean valueNow = valueFirst == (k == 0);
                double us = timeBatch(valueNow ? value : baseline, batch[valueNow ? 0 : 1]);
                if (valueNow) {
                    a = us;
                } else {
                    b = us;
                }
            }
            values.add(a);
            baselines.add(b);
            if (round >= 2 && System.nanoTime() > stop) {
                break;
            }
        }
        double[] ratios = new double[values.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = values.get(i) / baselines.get(i);
        }
        double v = median(values);
        double base = median(baselines);
        Arrays.sort(ratios);
        double minValue = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double minBaseline = baselines.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        return new Comparison(v, base, v / base, percentile(ratios, 0.25), percentile(ratios, 0.75),
                minValue / minBaseline, values.size());
    }

    /** µs per call of one batch. */
    static double timeBatch(Op op, int n) throws Exception {
        long acc = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            acc += op.run();
        }
        long t1 = System.nanoTime();
        sink += acc;
        return (t1 - t0) / 1_000.0 / n;
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return percentile(a, 0.5);
    }

    /** Linear interpolation between closest ranks of a sorted array. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /** Lets callers feed values into the same sink. */
    static void consume(long v) {
        sink += v;
    }
}
