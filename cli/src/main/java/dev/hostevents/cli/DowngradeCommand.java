package dev.hostevents.cli;

import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code downgrade <-N|<rev>|base>}: Alembic's downgrade, printing Alembic's lines. */
@Command(name = "downgrade", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Downgrade the database by -N, to a revision, or to base.",
        description = {
            "Downgrade the database to a revision, printing one Alembic line per revision undone, e.g.",
            "  Running downgrade c1b85c454f94 -> 9372cec8298d, add_composite_index_host_code_created_at",
            "Downgrading to base drops the events table and its rows, so it needs --allow-data-loss."})
final class DowngradeCommand extends ToolCommand {
    @Parameters(index = "0", paramLabel = "<target>", description = "-N, a revision id, or base.")
    String target;

    @Option(names = "--allow-data-loss", description = "Allow a downgrade that drops the events table and its rows.")
    boolean allowDataLoss;

    @Override
    public Integer call() {
        Migrator migrator = target().migrator();
        MigrationResult result = migrator.downgrade(target, allowDataLoss);
        MigrationOutput.print(out(), migrator, result);
        return 0;
    }
}
