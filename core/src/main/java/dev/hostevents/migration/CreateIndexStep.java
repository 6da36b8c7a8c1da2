package dev.hostevents.migration;

import dev.hostevents.spi.IndexSpec;
import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import java.util.List;
import java.util.Objects;

/** Creates an index; rendered by {@link dev.hostevents.spi.Dialect#createIndex}. */
public final class CreateIndexStep implements MigrationStep {
    private final IndexSpec index;

    public CreateIndexStep(IndexSpec index) {
        this.index = Objects.requireNonNull(index, "index");
    }

    /** The index as declared (a dialect may build it differently, see {@link dev.hostevents.spi.Dialect#expectedIndex}). */
    public IndexSpec index() {
        return index;
    }

    @Override
    public String describe() {
        return "create index " + index.name();
    }

    @Override
    public List<RenderedStatement> render(RenderContext context) {
        return context.dialect().createIndex(context.dialect().expectedIndex(index, context.server()), context);
    }

    @Override
    public String toString() {
        return describe();
    }
}
