package dev.hostevents.migration;

import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the {@code events} table with the columns, types and column order of the initial schema;
 * rendered by {@link dev.hostevents.spi.SchemaRole#createEventsTable}. An existing table is kept
 * (verify checks its indexes).
 */
public final class CreateEventsTableStep implements MigrationStep {
    private static final Logger LOG = LoggerFactory.getLogger("dev.hostevents.migration");

    @Override
    public String describe() {
        return "create table events";
    }

    @Override
    public List<RenderedStatement> render(RenderContext context) {
        return context.schema().createEventsTable(context);
    }

    @Override
    public StepPlan plan(LiveCatalog live, RenderContext context) throws SQLException {
        if (live.tableExists(HostEventsRevisions.EVENTS)) {
            LOG.warn("table events already exists; keeping it (verify checks its indexes)");
            return StepPlan.skip();
        }
        return StepPlan.run();
    }

    @Override
    public void applyTo(SchemaModel schema) {
        schema.addTable(HostEventsRevisions.EVENTS);
    }

    @Override
    public String toString() {
        return describe();
    }
}
