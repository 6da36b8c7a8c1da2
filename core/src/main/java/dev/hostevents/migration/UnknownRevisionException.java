package dev.hostevents.migration;

import dev.hostevents.HostEventsException;

/**
 * A revision id is not in the known chain: either the database's {@code alembic_version} names a
 * revision this library (and the revisions appended to it) does not know, or a caller asked for one.
 * Nothing is changed when this is thrown.
 */
public class UnknownRevisionException extends HostEventsException {
    private static final long serialVersionUID = 1L;
    private final String revision;

    public UnknownRevisionException(String revision, String message) {
        super(message);
        this.revision = revision;
    }

    /** The revision id that was not recognised. */
    public String revision() {
        return revision;
    }
}
