package dev.hostevents.migration;

import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import java.util.List;

/**
 * Creates the {@code events} table with the columns, types and column order of the initial schema;
 * rendered by {@link dev.hostevents.spi.Dialect#createEventsTable}.
 */
public final class CreateEventsTableStep implements MigrationStep {

    @Override
    public String describe() {
        return "create table events";
    }

    @Override
    public List<RenderedStatement> render(RenderContext context) {
        return context.dialect().createEventsTable(context);
    }

    @Override
    public String toString() {
        return describe();
    }
}
