package dev.hostevents.cli;

import dev.hostevents.HostCodes;
import dev.hostevents.PageRequest;
import dev.hostevents.spi.PlanReport;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code explain --host <code>}: the database's own plan of the page query, and a verdict. */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Print the database's plan of the page query and a verdict.",
        description = {
            "Print the database's own plan of the page query, run exactly as the event store runs it, then one verdict line: 'index idx_host_event_created, no sort', an informational line when the planner merely preferred a sort (exit 0), or what is wrong (then exit 1)."})
final class ExplainCommand extends ToolCommand {
    @Mixin
    HostOptions hostOptions;

    @Option(names = "--limit", defaultValue = "10", paramLabel = "<n>", description = "Page size, 1-100. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--offset", defaultValue = "0", paramLabel = "<n>", description = "Rows to skip. Default: ${DEFAULT-VALUE}.")
    int offset;

    @Override
    public Integer call() {
        // Bad input is reported before the database is touched.
        String host = hostOptions.resolve(this);
        HostCodes.normalize(host);
        PageRequest.first(limit);
        PlanReport report = target().storeWithSchema(Clock.systemUTC()).diagnostics().explainFindByHost(host, limit, offset);
        // The plan quotes names from the catalog: its lines are kept, anything else a terminal acts on is escaped.
        out().println(TerminalText.lines(report.plan().stripTrailing()));
        out().println(TerminalText.field(report.verdict()));
        return report.failed() ? 1 : 0;
    }
}
