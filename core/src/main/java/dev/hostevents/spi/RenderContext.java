package dev.hostevents.spi;

import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.Query;

/**
 * What a migration step needs to render itself: a connection-less jOOQ context and the dialect bound
 * to the server the SQL is for (live, or named for offline SQL).
 *
 * @param dsl jOOQ context configured for {@link Dialect#sqlDialect()}; renders keywords upper case,
 *     identifiers unquoted
 * @param dialect the bound dialect
 */
public record RenderContext(DSLContext dsl, Dialect dialect) {
    public RenderContext {
        Objects.requireNonNull(dsl, "dsl");
        Objects.requireNonNull(dialect, "dialect");
    }

    /**
     * A context that renders for {@code dialect} with the library's settings (upper-case keywords,
     * unquoted names), as the migrator and offline SQL render.
     */
    public static RenderContext of(Dialect dialect) {
        return dev.hostevents.internal.Jooq.renderContext(dialect);
    }

    /** The dialect's schema role, which renders the built-in steps. */
    public SchemaRole schema() {
        return dialect.schema();
    }

    /** The server the SQL is for. */
    public ServerInfo server() {
        return dialect.server();
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
