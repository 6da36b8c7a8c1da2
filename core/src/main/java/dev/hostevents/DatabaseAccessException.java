package dev.hostevents;

/**
 * The database failed in a way that is not the caller's input: connection lost, file read-only,
 * busy for longer than the timeout. Wraps the driver's {@link java.sql.SQLException}.
 */
public class DatabaseAccessException extends HostEventsException {
    private static final long serialVersionUID = 1L;

    public DatabaseAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
