package dev.hostevents.migration;

/**
 * Hooks into a migration run, for progress reporting and for fault-injection tests. Each method may
 * throw to abort the run at that point; the migrator then leaves the database at the last revision
 * it recorded, and the next run repairs or continues.
 */
public interface MigrationListener {
    /** No-op listener. */
    MigrationListener NONE = new MigrationListener() { };

    /** Before any statement of the revision runs. */
    default void beforeDdl(Transition transition) {
    }

    /** After the revision's DDL, before {@code alembic_version} is updated. */
    default void afterDdl(Transition transition) {
    }

    /** After the revision was recorded and committed. */
    default void afterRevision(Transition transition) {
    }
}
