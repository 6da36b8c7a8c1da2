package dev.hostevents.spi;

import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.Query;

/**
 * What a migration step needs to render itself: a connection-less jOOQ context for the dialect, the
 * dialect and the server version it renders for.
 *
 * @param dsl jOOQ context configured for {@link Dialect#sqlDialect()}; renders keywords upper case,
 *     identifiers unquoted
 * @param dialect the dialect
 * @param server the server the SQL is for (live, or named for offline SQL)
 */
public record RenderContext(DSLContext dsl, Dialect dialect, ServerInfo server) {
    public RenderContext {
        Objects.requireNonNull(dsl, "dsl");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(server, "server");
    }

    /** Renders a jOOQ query with literals inlined, as it will be executed and printed. */
    public String inline(Query query) {
        return dsl.renderInlined(query);
    }

    /** Renders a jOOQ query into a statement that can run inside a transaction. */
    public RenderedStatement statement(Query query) {
        return RenderedStatement.of(inline(query));
    }
}
