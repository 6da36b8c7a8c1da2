package dev.hostevents;

/**
 * Root of every exception this library throws. Unchecked, like jOOQ's and Jdbi's: callers catch the
 * specific subclass they can handle and let the rest propagate.
 *
 * <p>Messages never contain a host code: host codes are credentials. Neither does the cause chain: a
 * driver's exception (whose text may quote a row, e.g. PostgreSQL's {@code Failing row contains (…)})
 * is chained as a copy with every host code masked, keeping its class name, SQLState, vendor code,
 * stack trace, causes, suppressed and next exceptions, so an ordinary {@code log.error("…", e)} prints
 * no code.
 *
 * <p>One rule for configuration errors: a bad setting of a builder ({@code EventStore.Builder},
 * {@code Migrator.Builder}) or a bad definition ({@code Revision}, {@code RevisionChain},
 * {@code IndexSpec}) is a {@link ValidationException} naming the setting and the rule, thrown when
 * the setting is made; a required argument that is {@code null} is a {@link NullPointerException}
 * naming it; a database or dialect that cannot be used is an {@link UnsupportedDatabaseException}.
 */
public class HostEventsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostEventsException(String message) {
        super(message);
    }

    public HostEventsException(String message, Throwable cause) {
        super(message, MaskedCause.of(cause));
    }
}
