package dev.hostevents.migration;

import dev.hostevents.HostEventsException;

/**
 * Another migrator or tool changed {@code alembic_version} while this run was applying a revision, so
 * this run's result was not recorded. Nothing is half-recorded: run {@code current} and {@code verify},
 * then migrate again.
 */
public class ConcurrentMigrationException extends HostEventsException {
    private static final long serialVersionUID = 1L;

    public ConcurrentMigrationException(String message) {
        super(message);
    }
}
