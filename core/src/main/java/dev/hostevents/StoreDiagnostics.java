package dev.hostevents;

import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.PlanReport;
import dev.hostevents.spi.ServerInfo;
import dev.hostevents.spi.TieBreak;
import java.time.Instant;

/**
 * What an {@link EventStore} rendered for its database and how the database plans it: for
 * benchmarks, CI checks and support, not for the hot path. Obtained from
 * {@link EventStore#diagnostics()}. Nothing here exposes a host code: plans are the database's own
 * text, and the SQL has {@code ?} placeholders.
 */
public final class StoreDiagnostics {
    private final EventStore store;

    StoreDiagnostics(EventStore store) {
        this.store = store;
    }

    /** The SQL of the offset page query, as prepared on every call. */
    public String pageQuerySql() {
        return store.currentQueries().page.sql();
    }

    /** The SQL of the keyset page query after a cursor. */
    public String keysetQuerySql() {
        return store.currentQueries().keysetAfter.sql();
    }

    /** The dialect in use, bound to the store's server. */
    public Dialect dialect() {
        return store.boundDialect();
    }

    /** The server the store talks to. */
    public ServerInfo server() {
        return store.boundDialect().server();
    }

    /** The {@code id} tie-break of the page order on this server. */
    public TieBreak tieBreak() {
        return store.currentQueries().tieBreak;
    }

    /** True when the page queries reuse statements prepared per connection ({@link EventStore.Builder#statementReuse}). */
    public boolean statementReuse() {
        return store.reusesStatements();
    }

    /**
     * The database's own plan of the offset page query, run exactly as
     * {@link EventStore#findByHost(String, int, int)} runs it, and whether it reads
     * {@code idx_host_event_created} without sorting.
     *
     * @throws ValidationException naming {@code host_code}, {@code limit} or {@code offset}
     */
    public PlanReport explainFindByHost(String hostCode, int limit, int offset) {
        return store.explainFindByHost(hostCode, limit, offset);
    }

    /** The plan of the keyset page query after a position ({@code createdAt}, {@code id}). */
    public PlanReport explainKeyset(String hostCode, int limit, Instant afterCreatedAt, long afterId) {
        return store.explainKeyset(hostCode, limit, afterCreatedAt, afterId);
    }

    @Override
    public String toString() {
        return "StoreDiagnostics[" + store + "]";
    }
}
