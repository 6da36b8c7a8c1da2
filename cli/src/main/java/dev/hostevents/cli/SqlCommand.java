package dev.hostevents.cli;

import dev.hostevents.migration.Direction;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.Dialects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sql upgrade|downgrade [<from>:<to>] --dialect X [--server-version X.Y]}: offline SQL. */
@Command(name = "sql", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Print the SQL of an upgrade or downgrade for a dialect, offline.",
        description = {
            "Print the SQL of an upgrade or downgrade for a dialect and server version, without connecting to anything: ready to hand to a DBA. Needs --dialect sqlite|postgres|mysql|mariadb|h2."})
final class SqlCommand extends ToolCommand {
    @Parameters(index = "0", paramLabel = "upgrade|downgrade", description = "Direction.")
    Direction direction;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<from>:<to>",
            description = "Range, e.g. base:head, 9372cec8298d:head, head:base, or just <to>."
                    + " Default: base:head for upgrade, head:base for downgrade.")
    String range;

    @Option(names = "--server-version", paramLabel = "X.Y",
            description = "Server version to render for (e.g. 5.7 or 10.2 for a MySQL/MariaDB that drops DESC, or 10.2.11-MariaDB as the server prints it):"
                    + " numbers and dots, optionally a -suffix, at most 64 characters. Default: the dialect's newest.")
    String serverVersion;

    @Override
    public Integer call() {
        String name = root().dialectName();
        if (name == null || name.isBlank()) {
            throw usage("sql needs --dialect sqlite|postgres|mysql|mariadb|h2");
        }
        String alias = name.strip().toLowerCase(java.util.Locale.ROOT);
        out().print(Migrator.sql(direction, range, Dialects.offline(alias, serverVersion)));
        out().flush();
        return 0;
    }
}
