package dev.hostevents;

/**
 * No dialect on the class path handles the database (or the named dialect does not exist). The
 * message names the product, its version and the module to add.
 */
public class UnsupportedDatabaseException extends HostEventsException {
    private static final long serialVersionUID = 1L;

    public UnsupportedDatabaseException(String message) {
        super(message);
    }
}
