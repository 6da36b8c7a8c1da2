package dev.hostevents;

/**
 * Root of every exception this library throws. Unchecked, like jOOQ's and Jdbi's: callers catch the
 * specific subclass they can handle and let the rest propagate.
 *
 * <p>Messages never contain a host code: host codes are credentials.
 */
public class HostEventsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostEventsException(String message) {
        super(message);
    }

    public HostEventsException(String message, Throwable cause) {
        super(message, cause);
    }
}
