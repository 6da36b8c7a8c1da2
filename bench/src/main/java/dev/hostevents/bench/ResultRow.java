package dev.hostevents.bench;

/**
 * One line of the report. For every row {@code ratio = value / baseline}.
 *
 * @param name what is compared, e.g. {@code index_speedup}
 * @param database engine and version, e.g. {@code SQLite 3.50.3}
 * @param scale the size it ran at, e.g. {@code events_per_host=100000 rows=1000000}
 * @param value the measured side (µs per call unless {@code unit} says otherwise)
 * @param baseline the side it is compared with, same unit
 * @param ratio {@code value / baseline}
 * @param target the target, e.g. {@code >= 500x}, or {@code none (informational)}
 * @param met whether the target is met; {@code null} where there is no target
 * @param unit unit of value and baseline: {@code us}, {@code ms} or {@code bytes/row}
 * @param spread the 25th–75th percentile of the per-round ratios, or an explanation
 * @param meaning what value and baseline are, in words
 */
public record ResultRow(String name, String database, String scale, double value, double baseline, double ratio,
        String target, Boolean met, String unit, String spread, String meaning) {
}
