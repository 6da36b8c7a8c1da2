package dev.hostevents.dialect.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.sqlite.SQLiteConfig.TransactionMode;
import org.slf4j.LoggerFactory;

/**
 * Says once per database file, at WARN, that connections with {@code busy_timeout = 0} or
 * {@code DEFERRED} transactions fail with {@code SQLITE_BUSY} as soon as two of them write at once. A
 * plain {@code SQLiteDataSource} has the second (and a 3 s busy timeout that cannot help it: a deferred
 * transaction that read and then writes is refused at once, not queued). Checked when the dialect
 * binds, which a store does once and a migrator once per command; in-memory databases are private to
 * their connection and are not checked.
 */
final class SqliteBusyTimeoutCheck {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteDialectProvider.class);
    /** Files already warned about; a JVM opens few, so the set stays small. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private static final String MESSAGE = "SQLite connection has busy_timeout = {} ms and {} transactions: concurrent writers"
            + " fail with SQLITE_BUSY (\"The database file is locked\"); build the DataSource with SqliteDataSources.file(path)"
            + " (busy_timeout 5000 ms, IMMEDIATE transactions, WAL for a new file), or set both on your SQLiteConfig";

    private SqliteBusyTimeoutCheck() {
    }

    /** Reads {@code PRAGMA busy_timeout}, the transaction mode and the main file; warns once per file when either is wrong. */
    static void check(Connection connection) throws SQLException {
        TransactionMode mode = SqliteJdbc.sqlite(connection).getCurrentTransactionMode();
        try (Statement s = connection.createStatement()) {
            int busyTimeout = intOf(s, "PRAGMA busy_timeout");
            if (busyTimeout > 0 && mode != TransactionMode.DEFERRED) {
                return;
            }
            String file = mainFile(s);
            if (!file.isEmpty() && WARNED.add(file)) {
                LOG.warn(MESSAGE, busyTimeout, mode);
            }
        }
    }

    private static int intOf(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** The file of the {@code main} schema; empty for an in-memory or temporary database. */
    private static String mainFile(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA database_list")) {
            while (rs.next()) {
                if ("main".equals(rs.getString("name"))) {
                    String file = rs.getString("file");
                    return file == null ? "" : file;
                }
            }
            return "";
        }
    }
}
