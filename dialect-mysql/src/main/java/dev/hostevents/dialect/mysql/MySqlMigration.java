package dev.hostevents.dialect.mysql;

import dev.hostevents.migration.MigrationLockTimeoutException;
import dev.hostevents.spi.MigrationLock;
import dev.hostevents.spi.MigrationRole;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Migrations on MySQL and MariaDB (every version alike): DDL is not transactional, the migration lock
 * is {@code GET_LOCK} on the migration connection, and each DDL statement waits at most the migrator's
 * lock timeout for a metadata lock.
 */
final class MySqlMigration implements MigrationRole {
    /** Lock names are server-wide; longer than this, MySQL refuses them. */
    private static final int MAX_LOCK_NAME = 64;
    private static final String LOCK_PREFIX = "hostevents_migration";
    /** ER_LOCK_WAIT_TIMEOUT (row and metadata locks, MariaDB NOWAIT), ER_LOCK_NOWAIT (MySQL 8 NOWAIT). */
    private static final Set<Integer> LOCK_TIMEOUT = Set.of(1205, 3572);

    /** MySQL and MariaDB commit implicitly around every DDL statement. */
    @Override
    public boolean supportsTransactionalDdl() {
        return false;
    }

    /**
     * {@code GET_LOCK} on the migration connection. A named lock belongs to the session, not to a
     * transaction, so the implicit commits of DDL do not release it; it is released by
     * {@code RELEASE_LOCK} or when the connection closes (also if the JVM dies). The name carries the
     * schema, since lock names are server-wide: migrators of different schemas do not wait for each other
     * (a name cut at 64 characters may be shared by two schemas, which only makes them take turns).
     */
    @Override
    public MigrationLock acquireLock(Connection connection, DataSource dataSource, Duration timeout)
            throws SQLException {
        String lockName;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            rs.next();
            String schema = rs.getString(1);
            lockName = schema == null ? LOCK_PREFIX : LOCK_PREFIX + ":" + schema;
        }
        if (lockName.length() > MAX_LOCK_NAME) {
            lockName = lockName.substring(0, MAX_LOCK_NAME);
        }
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        Object granted;
        try (PreparedStatement ps = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            ps.setString(1, lockName);
            ps.setLong(2, seconds);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                granted = rs.getObject(1);
            }
        }
        if (granted == null) {
            // NULL: the wait was interrupted (KILL QUERY) or the server ran out of memory, not a timeout.
            throw new SQLException("GET_LOCK('" + lockName + "') failed (returned NULL)");
        }
        if (((Number) granted).intValue() != 1) {
            throw new MigrationLockTimeoutException("another migrator held the migration lock (GET_LOCK) for longer than "
                    + timeout.toMillis() + " ms", null);
        }
        String held = lockName;
        return () -> {
            if (!connection.isClosed()) {
                try (PreparedStatement ps = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                    ps.setString(1, held);
                    ps.executeQuery().close();
                }
            }
        };
    }

    /**
     * DDL waits for a metadata lock up to {@code lock_wait_timeout} (default: a year), queueing every
     * query of the table behind it: cap it at the migrator's lock timeout (whole seconds, at least 1).
     */
    @Override
    public void beforeDdl(Connection connection, Duration lockTimeout) throws SQLException {
        long seconds = Math.max(1, (lockTimeout.toMillis() + 999) / 1000);
        try (Statement s = connection.createStatement()) {
            s.execute("SET SESSION lock_wait_timeout = " + seconds);
        }
    }

    /** Gives the connection back to its pool with the server's default {@code lock_wait_timeout}. */
    @Override
    public void afterDdl(Connection connection) throws SQLException {
        if (!connection.isClosed()) {
            try (Statement s = connection.createStatement()) {
                s.execute("SET SESSION lock_wait_timeout = DEFAULT");
            }
        }
    }

    /** Error 1205 (lock wait timeout, row or metadata lock) or 3572 (MySQL 8 {@code NOWAIT}). */
    @Override
    public boolean isLockTimeout(SQLException e) {
        return LOCK_TIMEOUT.contains(e.getErrorCode());
    }
}
