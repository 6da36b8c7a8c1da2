package dev.hostevents;

import java.sql.SQLException;

/**
 * The database failed in a way that is not the caller's input: connection lost, file read-only,
 * busy for longer than the timeout. Carries the driver's SQLState and vendor code, so a caller can
 * classify the failure without parsing a message; the message itself has every host code masked.
 */
public class DatabaseAccessException extends HostEventsException {
    private static final long serialVersionUID = 1L;

    private final String sqlState;
    private final int vendorCode;

    /**
     * @param cause the driver's exception (its SQLState and vendor code are kept) or another cause
     */
    public DatabaseAccessException(String message, Throwable cause) {
        super(message, cause);
        SQLException sql = cause instanceof SQLException s ? s : null;
        this.sqlState = sql == null ? null : sql.getSQLState();
        this.vendorCode = sql == null ? 0 : sql.getErrorCode();
    }

    /**
     * The failure of {@code operation}, with the driver's message (host codes masked) and SQLState.
     *
     * @param operation what was being done, e.g. {@code findByHost} or {@code upgrade}
     */
    public static DatabaseAccessException of(String operation, SQLException e) {
        return new DatabaseAccessException(operation + " failed: " + HostCodes.maskAll(e.getMessage())
                + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")"), e);
    }

    /** The SQLState the driver reported (e.g. {@code 40001}), or {@code null} when it gave none. */
    public String sqlState() {
        return sqlState;
    }

    /** The driver's vendor error code (e.g. MySQL {@code 1213}), or 0 when it gave none. */
    public int vendorCode() {
        return vendorCode;
    }
}
