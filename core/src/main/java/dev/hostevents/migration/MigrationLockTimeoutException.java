package dev.hostevents.migration;

import dev.hostevents.HostEventsException;

/**
 * A migration could not get a lock in time: another migrator holds the migration lock, or a DDL
 * statement waited longer than the configured lock timeout behind a long transaction. Nothing of the
 * revision being applied was recorded; run the migration again later.
 */
public class MigrationLockTimeoutException extends HostEventsException {
    private static final long serialVersionUID = 1L;

    public MigrationLockTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
