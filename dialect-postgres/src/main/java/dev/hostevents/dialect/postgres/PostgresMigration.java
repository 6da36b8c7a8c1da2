package dev.hostevents.dialect.postgres;

import dev.hostevents.migration.MigrationLockTimeoutException;
import dev.hostevents.spi.MigrationLock;
import dev.hostevents.spi.MigrationRole;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * PostgreSQL's migration behaviour: transactional DDL; DDL runs under {@code SET lock_timeout} (the
 * migrator's {@code lockTimeout}), reset after the revision, and a timeout is SQLState {@code 55P03};
 * the migration lock is a session-level {@code pg_advisory_lock} on {@link #MIGRATION_LOCK_KEY}, taken
 * by polling (see {@link #acquireLock} for why not by waiting).
 *
 * <p>Public only for {@link #MIGRATION_LOCK_KEY}; instances come from
 * {@link PostgresDialectProvider#bind}.
 */
public final class PostgresMigration implements MigrationRole {
    /**
     * Key of the advisory lock that keeps two migrators apart: the ASCII bytes of {@code hostevnt}.
     * Advisory locks are per database, so migrators of different databases never wait for each other.
     */
    public static final long MIGRATION_LOCK_KEY = 0x686F_7374_6576_6E74L;

    /** How often a waiting migrator asks for the advisory lock again. */
    private static final long LOCK_POLL_MILLIS = 100;

    PostgresMigration() {
    }

    @Override
    public boolean supportsTransactionalDdl() {
        return true;
    }

    /**
     * Takes the session-level advisory lock {@link #MIGRATION_LOCK_KEY} on the migration connection,
     * asking with {@code pg_try_advisory_lock} every {@value #LOCK_POLL_MILLIS} ms until {@code timeout}.
     *
     * <p>Session-level, because the lock must outlive the transactions a run commits around
     * {@code CREATE INDEX CONCURRENTLY}. Polled, not waited for in {@code pg_advisory_lock}: a
     * concurrent index build waits for every transaction that holds a snapshot, and a second migrator
     * blocked inside {@code pg_advisory_lock} holds one while it waits for the first, which is a
     * deadlock. Between two polls the waiting connection is idle and holds nothing.
     */
    @Override
    public MigrationLock acquireLock(Connection connection, DataSource dataSource, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!tryAdvisoryLock(connection)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new MigrationLockTimeoutException("another migrator held the migration lock (pg_advisory_lock "
                        + MIGRATION_LOCK_KEY + ") for longer than " + timeout.toMillis() + " ms", null);
            }
            try {
                Thread.sleep(Math.min(LOCK_POLL_MILLIS, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrationLockTimeoutException("interrupted while waiting for the migration lock", null);
            }
        }
        boolean[] released = {false};
        return () -> {
            if (released[0]) {
                return;
            }
            released[0] = true;
            // A closed connection has lost its session, and with it the lock.
            if (!connection.isClosed()) {
                try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    ps.setLong(1, MIGRATION_LOCK_KEY);
                    ps.executeQuery().close();
                }
            }
        };
    }

    private static boolean tryAdvisoryLock(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, MIGRATION_LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * {@code SET lock_timeout}: a DDL statement that must wait for a lock held by a long transaction
     * gives up after {@code lockTimeout} instead of queueing, and blocking every query behind itself,
     * indefinitely. Session-level, not {@code SET LOCAL}: it must still hold for the concurrent index
     * build, which runs after the revision's transaction committed. {@link #afterDdl} resets it.
     */
    @Override
    public void beforeDdl(Connection connection, Duration lockTimeout) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET lock_timeout = " + Math.max(1, lockTimeout.toMillis()));
        }
    }

    /** {@code RESET lock_timeout}, so a pooled connection goes back with the server's default. */
    @Override
    public void afterDdl(Connection connection) throws SQLException {
        if (!connection.isClosed()) {
            try (Statement s = connection.createStatement()) {
                s.execute("RESET lock_timeout");
            }
        }
    }

    /** {@code 55P03 lock_not_available}: a {@code lock_timeout} expired (or a {@code NOWAIT} failed). */
    @Override
    public boolean isLockTimeout(SQLException e) {
        return "55P03".equals(e.getSQLState());
    }
}
