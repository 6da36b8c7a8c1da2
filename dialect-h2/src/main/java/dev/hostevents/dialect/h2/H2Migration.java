package dev.hostevents.dialect.h2;

import dev.hostevents.migration.MigrationLockTimeoutException;
import dev.hostevents.spi.MigrationLock;
import dev.hostevents.spi.MigrationRole;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * H2 commits before every DDL statement, so a lock held on the migration connection would be
 * released by the first step: the lock is a row of {@code hostevents_migration_lock} held
 * {@code FOR UPDATE} by a second connection for the whole run.
 */
final class H2Migration implements MigrationRole {
    static final String LOCK_TABLE = "hostevents_migration_lock";

    @Override
    public MigrationLock acquireLock(Connection connection, DataSource dataSource, Duration timeout) throws SQLException {
        // Create the lock row only when it is missing: touching it (MERGE) would queue behind the
        // migrator that holds it and fail on H2's session lock timeout instead of waiting below.
        try (Statement s = connection.createStatement()) {
            if (!new H2Schema().tableExists(connection, LOCK_TABLE)) {
                s.execute("CREATE TABLE IF NOT EXISTS " + LOCK_TABLE + " (id INT PRIMARY KEY)");
            }
            boolean present;
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + LOCK_TABLE + " WHERE id = 1")) {
                present = rs.next() && rs.getInt(1) == 1;
            }
            if (!present) {
                try {
                    s.execute("INSERT INTO " + LOCK_TABLE + " (id) VALUES (1)");
                } catch (SQLException e) {
                    if (!isDuplicate(e)) {
                        throw e;
                    }
                }
            }
        }
        Connection holder = dataSource.getConnection();
        try {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("SET LOCK_TIMEOUT " + Math.max(1, timeout.toMillis()));
                s.executeQuery("SELECT id FROM " + LOCK_TABLE + " WHERE id = 1 FOR UPDATE").close();
            }
        } catch (SQLException e) {
            holder.close();
            if (isLockTimeout(e)) {
                throw new MigrationLockTimeoutException("another migrator held the migration lock for longer than "
                        + timeout.toMillis() + " ms", e);
            }
            throw e;
        }
        return () -> {
            if (!holder.isClosed()) {
                try {
                    holder.rollback();
                } finally {
                    holder.close();
                }
            }
        };
    }

    /** Another migrator inserted the lock row first (SQLState class 23). */
    private static boolean isDuplicate(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }
}
