package dev.hostevents.cli;

import dev.hostevents.migration.Migrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stamp <rev>}: record a revision without running its steps. */
@Command(name = "stamp", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Record a revision without running its steps.",
        description = {
            "Record a revision in alembic_version without running any step (base clears it), for a schema made by other means. Prints Alembic's line, e.g. 'Running stamp_revision  -> c1b85c454f94'."})
final class StampCommand extends ToolCommand {
    @Parameters(index = "0", paramLabel = "<revision>", description = "head, base or a revision id.")
    String revision;

    @Override
    boolean createsDatabase() {
        return true;
    }

    @Override
    public Integer call() {
        Migrator migrator = target().migrator();
        String before = migrator.current().orElse("");
        migrator.stamp(revision);
        String after = migrator.current().orElse("");
        out().println("Running stamp_revision " + before + " -> " + after);
        return 0;
    }
}
