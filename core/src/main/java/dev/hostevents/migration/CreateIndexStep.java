package dev.hostevents.migration;

import dev.hostevents.spi.IndexSpec;
import dev.hostevents.spi.LiveIndex;
import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates an index, as the server can build it ({@link dev.hostevents.spi.SchemaRole#expectedIndex});
 * rendered by {@link dev.hostevents.spi.SchemaRole#createIndex}. On the live schema: an index already
 * there as expected is kept, an INVALID one (a failed concurrent build) is dropped and rebuilt, and
 * one with other columns is drift that stops the run.
 */
public final class CreateIndexStep implements MigrationStep {
    private static final Logger LOG = LoggerFactory.getLogger("dev.hostevents.migration");

    private final IndexSpec index;
    private final boolean tableIsNew;

    /** An index on an existing table, which may have rows and writers (PostgreSQL builds it {@code CONCURRENTLY}). */
    public CreateIndexStep(IndexSpec index) {
        this(index, false);
    }

    private CreateIndexStep(IndexSpec index, boolean tableIsNew) {
        this.index = Objects.requireNonNull(index, "index");
        this.tableIsNew = tableIsNew;
    }

    /**
     * An index on a table created earlier in the same revision: empty and unseen by writers, so it is
     * built with plain DDL inside the revision's transaction.
     */
    public static CreateIndexStep onNewTable(IndexSpec index) {
        return new CreateIndexStep(index, true);
    }

    /** The index as declared (a server may build it differently, see {@link dev.hostevents.spi.SchemaRole#expectedIndex}). */
    public IndexSpec index() {
        return index;
    }

    /** True when the table is created in the same revision. */
    public boolean tableIsNew() {
        return tableIsNew;
    }

    @Override
    public String describe() {
        return "create index " + index.name();
    }

    @Override
    public List<RenderedStatement> render(RenderContext context) {
        return context.schema().createIndex(context.schema().expectedIndex(index), tableIsNew, context);
    }

    @Override
    public StepPlan plan(LiveCatalog live, RenderContext context) throws SQLException {
        IndexSpec want = context.schema().expectedIndex(index);
        Optional<LiveIndex> have = live.index(want);
        if (have.isEmpty()) {
            return StepPlan.run();
        }
        if (!have.get().valid()) {
            LOG.warn("index {} exists but is INVALID (an earlier concurrent build failed); dropping and rebuilding it", want.name());
            return StepPlan.repairThenRun(context.schema().dropIndex(want, tableIsNew, context));
        }
        if (have.get().matches(want)) {
            LOG.info("index {} already exists as expected; recording the revision without rebuilding it", want.name());
            return StepPlan.skip();
        }
        throw new SchemaDriftException(List.of("index " + want.name() + " already exists as " + SchemaVerifier.describe(have.get())
                + ", expected " + SchemaVerifier.describe(want) + "; drop it or fix it by hand, then upgrade again"));
    }

    @Override
    public void applyTo(SchemaModel schema) {
        schema.addIndex(index);
    }

    /** Also when an interrupted run already built the index: the note says how it was built. */
    @Override
    public String buildNote(RenderContext context) {
        return context.schema().buildNote(index);
    }

    @Override
    public String toString() {
        return describe();
    }
}
