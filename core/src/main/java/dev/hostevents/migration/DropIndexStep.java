package dev.hostevents.migration;

import dev.hostevents.spi.IndexSpec;
import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import java.util.List;
import java.util.Objects;

/** Drops an index; rendered by {@link dev.hostevents.spi.Dialect#dropIndex}. */
public final class DropIndexStep implements MigrationStep {
    private final IndexSpec index;

    public DropIndexStep(IndexSpec index) {
        this.index = Objects.requireNonNull(index, "index");
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
        return context.dialect().dropIndex(index, context);
    }

    @Override
    public String toString() {
        return describe();
    }
}
