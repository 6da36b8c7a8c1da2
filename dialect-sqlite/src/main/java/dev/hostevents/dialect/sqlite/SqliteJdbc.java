package dev.hostevents.dialect.sqlite;

import dev.hostevents.UnsupportedDatabaseException;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** sqlite-jdbc plumbing shared by the roles: the driver's connection behind a proxy, and result codes. */
final class SqliteJdbc {
    private SqliteJdbc() {
    }

    /** The sqlite-jdbc connection behind {@code connection} (which may be a pool's proxy). */
    static SQLiteConnection sqlite(Connection connection) throws SQLException {
        if (connection instanceof SQLiteConnection direct) {
            return direct;
        }
        if (connection.isWrapperFor(SQLiteConnection.class)) {
            return connection.unwrap(SQLiteConnection.class);
        }
        throw new UnsupportedDatabaseException("the SQLite dialect needs a sqlite-jdbc connection (org.xerial:sqlite-jdbc);"
                + " got " + connection.getClass().getName());
    }

    /** The extended result code of the first sqlite-jdbc exception in the cause chain, or {@code null}. */
    static SQLiteErrorCode resultCode(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException s) {
                return s.getResultCode();
            }
        }
        return null;
    }

    /** The primary result code (low byte): from sqlite-jdbc's result code, else from the vendor error code. */
    static int primaryCode(SQLException e) {
        SQLiteErrorCode code = resultCode(e);
        return (code != null ? code.code : e.getErrorCode()) & 0xff;
    }
}
