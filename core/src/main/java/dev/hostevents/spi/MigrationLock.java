package dev.hostevents.spi;

import java.sql.SQLException;

/**
 * A held migration lock. Closing it releases the lock; closing twice is harmless.
 */
@FunctionalInterface
public interface MigrationLock extends AutoCloseable {
    /** A lock that holds nothing, for dialects whose per-revision transaction is the lock (SQLite). */
    MigrationLock NONE = () -> { };

    @Override
    void close() throws SQLException;
}
