package dev.hostevents.cli;

import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code upgrade [head|<rev>|+N]}: Alembic's upgrade, printing Alembic's lines. */
@Command(name = "upgrade", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Upgrade the database to head, a revision or +N.",
        description = {
            "Upgrade the database to a revision (default: head), printing one Alembic line per revision applied, e.g.",
            "  Running upgrade 9372cec8298d -> c1b85c454f94, add_composite_index_host_code_created_at",
            "At the target already: one line saying there is nothing to do, exit 0."})
final class UpgradeCommand extends ToolCommand {
    @Parameters(index = "0", arity = "0..1", defaultValue = "head", paramLabel = "<target>",
            description = "head, a revision id (or a unique prefix of 4+ characters), or +N. Default: head.")
    String target;

    @Override
    boolean createsDatabase() {
        return true;
    }

    @Override
    public Integer call() {
        Migrator migrator = target().migrator();
        MigrationResult result = migrator.upgrade(target);
        MigrationOutput.print(out(), migrator, result);
        return 0;
    }
}
