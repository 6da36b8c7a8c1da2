package dev.hostevents.cli;

import dev.hostevents.migration.Migrator;
import picocli.CommandLine.Command;

/** {@code current}: the revision in {@code alembic_version}. */
@Command(name = "current", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Print the database's revision, with ' (head)' when it is the newest.",
        description = {
            "Print the database's revision, with ' (head)' when it is the newest, e.g. c1b85c454f94 (head). A database with no revision prints nothing."})
final class CurrentCommand extends ToolCommand {
    @Override
    public Integer call() {
        Migrator migrator = target().migrator();
        migrator.current().ifPresent(rev -> out().println(MigrationOutput.revisionLabel(migrator, rev)));
        return 0;
    }
}
