package dev.hostevents.dialect.sqlite;

import static dev.hostevents.dialect.sqlite.SqliteJdbc.primaryCode;
import static dev.hostevents.dialect.sqlite.SqliteJdbc.sqlite;

import dev.hostevents.migration.MigrationLockTimeoutException;
import dev.hostevents.spi.MigrationLock;
import dev.hostevents.spi.MigrationRole;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig.TransactionMode;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;

/**
 * SQLite DDL is transactional: each revision runs inside {@code BEGIN IMMEDIATE}, which is also the
 * lock between two migrators. The second one waits in SQLite's busy handler (the migration lock wait,
 * for the length of the run) and then finds nothing to do.
 */
final class SqliteMigration implements MigrationRole {

    /** SQLite DDL is transactional: a revision that fails rolls back completely. */
    @Override
    public boolean supportsTransactionalDdl() {
        return true;
    }

    /**
     * SQLite has no lock separate from its transactions: {@code BEGIN IMMEDIATE} in
     * {@link #beginRevision} is the migration lock. What this method does is make that begin wait up to
     * {@code timeout} for another migrator, by setting the connection's busy timeout for the run; the
     * returned lock puts the previous busy timeout back.
     *
     * <p>The same wait then also bounds a revision's {@code COMMIT} waiting for readers to finish (in
     * rollback-journal mode; in WAL mode a commit never waits for readers), so there is no separate
     * DDL lock timeout on SQLite.
     */
    @Override
    public MigrationLock acquireLock(Connection connection, DataSource dataSource, Duration timeout) throws SQLException {
        SQLiteConnection sqlite = sqlite(connection);
        int previous = sqlite.getBusyTimeout();
        sqlite.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
        return () -> {
            if (!sqlite.isClosed()) {
                sqlite.setBusyTimeout(previous);
            }
        };
    }

    /**
     * {@code BEGIN IMMEDIATE}: takes the database's write lock before the version is read, so two
     * migrators never both decide to apply the same revision.
     *
     * <p>A plain {@code BEGIN IMMEDIATE} statement does not work with sqlite-jdbc in auto-commit mode:
     * the driver still reports auto-commit, refuses {@code commit()}, and the transaction has to be ended
     * by another statement. So the connection's transaction mode is set to {@code IMMEDIATE} just for the
     * {@code setAutoCommit(false)} that begins the transaction (sqlite-jdbc begins eagerly there), and
     * put back at once.
     *
     * @throws MigrationLockTimeoutException when another writer kept the lock for longer than the busy timeout
     */
    @Override
    public void beginRevision(Connection connection) throws SQLException {
        SQLiteConnection sqlite = sqlite(connection);
        TransactionMode mode = sqlite.getConnectionConfig().getTransactionMode();
        sqlite.getConnectionConfig().setTransactionMode(TransactionMode.IMMEDIATE);
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            // sqlite-jdbc marks the connection non-auto-commit before BEGIN runs; no transaction exists.
            sqlite.getConnectionConfig().setAutoCommit(true);
            if (isLockTimeout(e)) {
                throw new MigrationLockTimeoutException("another migrator or writer held the SQLite database's write lock"
                        + " for longer than the migration lock wait (" + sqlite.getBusyTimeout() + " ms); nothing was changed", e);
            }
            throw e;
        } finally {
            sqlite.getConnectionConfig().setTransactionMode(mode);
        }
    }

    /**
     * Commits and returns to auto-commit. sqlite-jdbc's {@code commit()} begins the next transaction at
     * once; it is made a {@code DEFERRED} one, which takes no lock, whatever the connection's configured
     * mode (an {@code IMMEDIATE} re-begin would grab the write lock again for nothing).
     */
    @Override
    public void commitRevision(Connection connection) throws SQLException {
        SQLiteConnection sqlite = sqlite(connection);
        withDeferredRebegin(sqlite, connection::commit);
        connection.setAutoCommit(true);
    }

    /** Rolls back and returns to auto-commit; the re-begin is {@code DEFERRED}, as in {@link #commitRevision}. */
    @Override
    public void rollbackRevision(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            SQLiteConnection sqlite = sqlite(connection);
            withDeferredRebegin(sqlite, connection::rollback);
            connection.setAutoCommit(true);
        }
    }

    /** {@code SQLITE_BUSY} or {@code SQLITE_LOCKED} (any extended code): a lock wait ran out. */
    @Override
    public boolean isLockTimeout(SQLException e) {
        int primary = primaryCode(e);
        return primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code;
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }

    private static void withDeferredRebegin(SQLiteConnection sqlite, SqlAction action) throws SQLException {
        TransactionMode mode = sqlite.getConnectionConfig().getTransactionMode();
        sqlite.getConnectionConfig().setTransactionMode(TransactionMode.DEFERRED);
        try {
            action.run();
        } finally {
            sqlite.getConnectionConfig().setTransactionMode(mode);
        }
    }
}
