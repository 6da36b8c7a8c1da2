package dev.hostevents.bench;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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
    private final Connection raw;
    private final Connection connection;

    /** Opens one connection from {@code source} and keeps it until {@link #close()}. */
    public SingleConnectionDataSource(DataSource source) throws SQLException {
        this.raw = source.getConnection();
        this.connection = nonClosing(raw);
    }

    /**
     * A view of {@code delegate} whose {@code close()} does nothing; every other call goes to it. A
     * dynamic proxy: its reflective call costs tens of nanoseconds against a page query of tens of
     * microseconds, and the page statements themselves are prepared on the unwrapped connection
     * ({@code unwrap(Connection.class)} reaches the driver's own).
     */
    private static Connection nonClosing(Connection delegate) {
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "close":
                    return null;
                case "isClosed":
                    return delegate.isClosed();
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "non-closing " + delegate;
                default:
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
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
        return raw;
    }

    /** Closes the one connection. */
    @Override
    public void close() throws SQLException {
        raw.close();
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
