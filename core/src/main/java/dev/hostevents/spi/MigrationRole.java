package dev.hostevents.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The migration side of a {@link Dialect}: the lock that keeps two migrators apart, the transaction
 * around each revision, what is set around DDL, and which errors mean a lock wait ran out.
 */
public interface MigrationRole {

    /** True when DDL can be rolled back with the transaction (SQLite, PostgreSQL). */
    default boolean supportsTransactionalDdl() {
        return false;
    }

    /**
     * Takes the lock that keeps two migrators apart for a whole run, waiting up to {@code timeout}.
     *
     * @param connection the migration's own connection (auto-commit on)
     * @param dataSource may give a second connection if the lock needs one
     * @throws dev.hostevents.migration.MigrationLockTimeoutException when the lock is not had in time
     */
    MigrationLock acquireLock(Connection connection, DataSource dataSource, Duration timeout) throws SQLException;

    /** Starts the transaction of one revision (SQLite: {@code BEGIN IMMEDIATE}, which is also its lock). */
    default void beginRevision(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
    }

    /** Commits the revision's transaction and returns the connection to auto-commit. */
    default void commitRevision(Connection connection) throws SQLException {
        connection.commit();
        connection.setAutoCommit(true);
    }

    /** Rolls the revision's transaction back and returns the connection to auto-commit. */
    default void rollbackRevision(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    /**
     * Called on the migration connection before DDL runs, e.g. PostgreSQL {@code SET lock_timeout}, so
     * DDL never queues behind a long transaction while blocking everyone else.
     */
    default void beforeDdl(Connection connection, Duration lockTimeout) throws SQLException {
    }

    /**
     * Called on the migration connection after each revision, applied or failed (its transaction
     * already committed or rolled back), to undo {@link #beforeDdl}: a pooled connection must go back
     * to the pool as it came (PostgreSQL {@code RESET lock_timeout}).
     */
    default void afterDdl(Connection connection) throws SQLException {
    }

    /** True when the exception means a lock wait timed out. */
    default boolean isLockTimeout(SQLException e) {
        return "HYT00".equals(e.getSQLState()) || "55P03".equals(e.getSQLState());
    }
}
