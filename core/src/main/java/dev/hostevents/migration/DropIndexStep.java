package dev.hostevents.migration;

import dev.hostevents.spi.IndexSpec;
import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * Drops an index; rendered by {@link dev.hostevents.spi.SchemaRole#dropIndex}. Skipped when the index
 * is already gone.
 */
public final class DropIndexStep implements MigrationStep {
    private final IndexSpec index;
    private final boolean beforeTableDrop;

    /** Drops an index of a table that stays, which may have readers (PostgreSQL drops it {@code CONCURRENTLY}). */
    public DropIndexStep(IndexSpec index) {
        this(index, false);
    }

    private DropIndexStep(IndexSpec index, boolean beforeTableDrop) {
        this.index = Objects.requireNonNull(index, "index");
        this.beforeTableDrop = beforeTableDrop;
    }

    /** Drops an index on the way to dropping its table in the same revision: plain DDL, in the transaction. */
    public static DropIndexStep beforeTableDrop(IndexSpec index) {
        return new DropIndexStep(index, true);
    }

    /** The index being dropped. */
    public IndexSpec index() {
        return index;
    }

    @Override
    public String describe() {
        return "drop index " + index.name();
    }

    @Override
    public List<RenderedStatement> render(RenderContext context) {
        return context.schema().dropIndex(index, beforeTableDrop, context);
    }

    @Override
    public StepPlan plan(LiveCatalog live, RenderContext context) throws SQLException {
        return live.index(index).isPresent() ? StepPlan.run() : StepPlan.skip();
    }

    @Override
    public void applyTo(SchemaModel schema) {
        schema.dropIndex(index.name());
    }

    @Override
    public String toString() {
        return describe();
    }
}
