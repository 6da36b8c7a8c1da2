package dev.hostevents.migration;

import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jooq.impl.DSL;

/**
 * Drops a table. The migrator refuses to run it on {@code events} unless the caller allowed data loss
 * explicitly.
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
    public String toString() {
        return describe();
    }
}
