package dev.hostevents.migration;

import dev.hostevents.HostEventsException;

/**
 * A downgrade would drop the {@code events} table (and its rows) and the caller did not say
 * explicitly that data loss is acceptable. The message names how many rows would be lost.
 */
public class DataLossRefusedException extends HostEventsException {
    private static final long serialVersionUID = 1L;
    private final long rows;

    public DataLossRefusedException(String message, long rows) {
        super(message);
        this.rows = rows;
    }

    /** Number of rows in {@code events} that the refused downgrade would have deleted. */
    public long rows() {
        return rows;
    }
}
