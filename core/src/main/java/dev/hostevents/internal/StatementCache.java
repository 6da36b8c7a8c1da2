package dev.hostevents.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Read statements kept prepared on each physical connection and reused, for dialects whose driver
 * prepares (parses and plans) on every {@code prepareStatement} and caches nothing itself
 * ({@link dev.hostevents.spi.QueryRole#reusePreparedStatements()}; sqlite-jdbc: about a fifth of a
 * page-1 call, measured in {@code bench}).
 *
 * <p>Keyed by the physical connection ({@code unwrap(Connection.class)}), so a pool's per-borrow
 * proxy still hits the statements prepared in an earlier borrow. A statement is checked out while in
 * use and checked back in afterwards, so two borrowers never share one. Statements die with their
 * connection; entries of closed connections are dropped as the map grows.
 */
public final class StatementCache {
    /** Idle statements per connection and SQL; more than this and the extra one is closed. */
    private static final int IDLE_PER_SQL = 4;
    /** Above this many connections, entries of closed connections are purged. */
    private static final int PURGE_ABOVE = 64;

    private final Map<Connection, Map<String, ArrayDeque<PreparedStatement>>> idle = new HashMap<>();

    /** An idle prepared statement for {@code sql} on the connection behind {@code borrowed}, or a new one. */
    public PreparedStatement take(Connection borrowed, String sql) throws SQLException {
        Connection physical = physical(borrowed);
        synchronized (this) {
            Map<String, ArrayDeque<PreparedStatement>> bySql = idle.get(physical);
            ArrayDeque<PreparedStatement> free = bySql == null ? null : bySql.get(sql);
            while (free != null && !free.isEmpty()) {
                PreparedStatement ps = free.pop();
                if (!ps.isClosed()) {
                    return ps;
                }
            }
        }
        return physical.prepareStatement(sql);
    }

    /**
     * Gives a statement back after a successful call (its result set already closed). Bound values are
     * left as they are: every call binds all of them again, and {@code clearParameters()} on sqlite-jdbc
     * makes the next execution re-prepare (measured: it cost as much as preparing anew).
     */
    public void release(Connection borrowed, String sql, PreparedStatement ps) throws SQLException {
        Connection physical = physical(borrowed);
        PreparedStatement extra = null;
        synchronized (this) {
            if (idle.size() > PURGE_ABOVE) {
                idle.keySet().removeIf(StatementCache::isClosed);
            }
            ArrayDeque<PreparedStatement> free = idle.computeIfAbsent(physical, k -> new HashMap<>())
                    .computeIfAbsent(sql, k -> new ArrayDeque<>());
            if (free.size() < IDLE_PER_SQL) {
                free.push(ps);
            } else {
                extra = ps;
            }
        }
        if (extra != null) {
            extra.close();
        }
    }

    private static Connection physical(Connection borrowed) throws SQLException {
        // A pool's proxy unwraps to the driver's connection; a driver's connection unwraps to itself.
        return borrowed.isWrapperFor(Connection.class) ? borrowed.unwrap(Connection.class) : borrowed;
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
