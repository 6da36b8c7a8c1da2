package dev.hostevents.migration;

import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import java.util.List;

/**
 * One schema change inside a {@link Revision}. Built-in steps ({@link CreateIndexStep},
 * {@link DropIndexStep}, {@link CreateEventsTableStep}, {@link DropTableStep}) are rendered by the
 * dialect, which may rewrite them ({@code CONCURRENTLY}, no {@code DESC} on old MySQL) and which the
 * migrator can check against the live schema, so a step interrupted before its revision was recorded
 * is not applied twice. Users add their own with {@link #of(String, java.util.function.Function)}.
 */
public interface MigrationStep {

    /** A short human description, e.g. {@code create index idx_host_event_created}. */
    String describe();

    /** The statements that perform this step on the context's dialect and server. */
    List<RenderedStatement> render(RenderContext context);

    /**
     * A step built from any jOOQ DDL query. It is run as rendered; the migrator cannot tell whether it
     * already ran, so on databases without transactional DDL write it idempotently.
     *
     * @param description what the step does, for logs
     * @param query builds the query from the render context's {@code dsl()}
     */
    static MigrationStep of(String description, java.util.function.Function<RenderContext, org.jooq.Query> query) {
        return new MigrationStep() {
            @Override
            public String describe() {
                return description;
            }

            @Override
            public List<RenderedStatement> render(RenderContext context) {
                return List.of(context.statement(query.apply(context)));
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
