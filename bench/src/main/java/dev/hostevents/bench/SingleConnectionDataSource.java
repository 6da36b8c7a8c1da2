package dev.hostevents.bench;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Hands out one open connection to every caller and never closes it on their behalf. With it,
 * {@link dev.hostevents.EventStore} (which borrows and closes a connection per call) runs on the very
 * connection a hand-written JDBC loop uses, so the overhead comparison measures the library and not a
 * pool or a connect. Single-threaded use only, which is how the comparison runs it.
 */
public final class SingleConnectionDataSource implements DataSource, AutoCloseable {
    private final NonClosingConnection connection;

    /** Opens one connection from {@code source} and keeps it until {@link #close()}. */
    public SingleConnectionDataSource(DataSource source) throws SQLException {
        this.connection = new NonClosingConnection(source.getConnection());
    }

    /** The same open connection every time. */
    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public Connection getConnection(String username, String password) {
        return connection;
    }

    /** The underlying connection (not wrapped), for hand-written JDBC on the same session. */
    public Connection rawConnection() {
        return connection.delegate();
    }

    /** Closes the one connection. */
    @Override
    public void close() throws SQLException {
        connection.delegate().close();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // No logging of its own.
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // Never connects after construction.
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging here");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
