package dev.hostevents.migration;

import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * One schema change inside a {@link Revision}, carrying its own behaviour: it renders itself through
 * the dialect's schema role ({@link #render}), decides from the live catalog whether it still has to
 * run ({@link #plan}), and says what schema it leaves ({@link #applyTo}). The runner, the verifier and
 * the offline SQL printer only call these methods, so a new kind of step needs no change to them.
 *
 * <p>Built-in steps: {@link CreateEventsTableStep}, {@link CreateIndexStep}, {@link DropIndexStep},
 * {@link DropTableStep}. Users add their own with {@link #of(String, java.util.function.Function)} or
 * by implementing this interface.
 */
public interface MigrationStep {

    /** A short human description, e.g. {@code create index idx_host_event_created}. */
    String describe();

    /** The statements that perform this step on the context's dialect and server. */
    List<RenderedStatement> render(RenderContext context);

    /**
     * Whether the step still has to run, judged from the live schema: this is what makes a revision
     * interrupted between its DDL and its version update safe to run again on a database without
     * transactional DDL. The default cannot tell, so the step always runs.
     *
     * @throws SchemaDriftException when the live schema has something in the way that only a person can resolve
     */
    default StepPlan plan(LiveCatalog live, RenderContext context) throws SQLException {
        return StepPlan.run();
    }

    /** Applies what this step leaves to the expected schema {@code verify} checks. Default: nothing tracked. */
    default void applyTo(SchemaModel schema) {
    }

    /**
     * A note for the migration log when the server builds this step differently from its declaration
     * (e.g. an index built ascending by design), or {@code null}.
     */
    default String buildNote(RenderContext context) {
        return null;
    }

    /**
     * Refuses, before anything of a downgrade runs, a step that would destroy rows without the
     * caller's explicit consent. Default: nothing to refuse.
     *
     * @throws DataLossRefusedException naming the rows that would be lost
     */
    default void checkDataLoss(LiveCatalog live, boolean allowDataLoss) throws SQLException {
    }

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
