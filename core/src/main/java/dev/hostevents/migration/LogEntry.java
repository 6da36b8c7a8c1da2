package dev.hostevents.migration;

/**
 * One row of {@code hostevents_migration_log}.
 *
 * @param revision the revision whose steps ran
 * @param direction {@code upgrade}, {@code downgrade} or {@code stamp}
 * @param fromRevision revision before
 * @param toRevision revision after
 * @param checksum SHA-256 of the SQL actually run
 * @param startedAt ISO-8601 UTC
 * @param durationMs how long the revision took
 * @param appliedBy user and host of the JVM that applied it
 * @param note e.g. "ascending by design on MariaDB 10.2", or {@code null}
 */
public record LogEntry(String revision, String direction, String fromRevision, String toRevision, String checksum,
        String startedAt, long durationMs, String appliedBy, String note) {
}
