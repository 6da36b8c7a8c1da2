package dev.hostevents;

/**
 * The database has no {@code events} table, so a store on it could not serve a single call: it was
 * never upgraded (or was downgraded to base). Thrown by {@code EventStore.Builder.build()}; the message
 * says the revision the database is at ({@code base} when it has none) and to run upgrade first.
 */
public class SchemaNotMigratedException extends HostEventsException {
    private static final long serialVersionUID = 1L;

    private final String revision;

    /** @param revision the revision in {@code alembic_version}, or {@code null} for none */
    public SchemaNotMigratedException(String revision) {
        super("the events table is not there (database at revision " + (revision == null ? "base" : revision)
                + "); run upgrade first");
        this.revision = revision;
    }

    /** The revision recorded in {@code alembic_version}, or {@code null} when there is none (base). */
    public String revision() {
        return revision;
    }
}
