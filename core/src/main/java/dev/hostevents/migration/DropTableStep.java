package dev.hostevents.migration;

import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jooq.impl.DSL;

/**
 * Drops a table; skipped when it is already gone. Dropping {@code events} with rows in it is refused
 * unless the caller allowed data loss explicitly.
 */
public final class DropTableStep implements MigrationStep {
    private final String table;

    public DropTableStep(String table) {
        this.table = Objects.requireNonNull(table, "table").toLowerCase(Locale.ROOT);
    }

    /** The table dropped. */
    public String table() {
        return table;
    }

    @Override
    public String describe() {
        return "drop table " + table;
    }

    @Override
    public List<RenderedStatement> render(RenderContext context) {
        return List.of(context.statement(context.dsl().dropTable(DSL.name(table))));
    }

    @Override
    public StepPlan plan(LiveCatalog live, RenderContext context) throws SQLException {
        return live.tableExists(table) ? StepPlan.run() : StepPlan.skip();
    }

    @Override
    public void applyTo(SchemaModel schema) {
        schema.dropTable(table);
    }

    @Override
    public void checkDataLoss(LiveCatalog live, boolean allowDataLoss) throws SQLException {
        if (table.equals(HostEventsRevisions.EVENTS) && !allowDataLoss && live.tableExists(table)) {
            long rows = live.rowCount(table);
            throw new DataLossRefusedException("downgrade to base drops table events with " + rows
                    + " row(s); refusing without the explicit data-loss flag (allowDataLoss / --allow-data-loss)", rows);
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
