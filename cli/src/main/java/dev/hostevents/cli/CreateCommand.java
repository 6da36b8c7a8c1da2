package dev.hostevents.cli;

import dev.hostevents.Event;
import dev.hostevents.NewEvent;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code create --title T}: create one event and print it as JSON, host code included. */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Create an event and print it as JSON.",
        description = {
            "Create an event and print it as JSON. The host code (generated when not given) is printed this once: keep it, it is the host's credential."})
final class CreateCommand extends ToolCommand {
    @Option(names = "--title", required = true, paramLabel = "<title>", description = "1-200 characters.")
    String title;

    @Option(names = "--slug", paramLabel = "<slug>", description = "lower-case-words-with-dashes, 3-50 characters, unique. Default: from the title.")
    String slug;

    @Option(names = "--description", paramLabel = "<text>", description = "At most 1000 characters.")
    String description;

    @Option(names = "--host-code", paramLabel = "<code>",
            description = "host_ + 12 letters or digits, or - to read it from standard input. Default: a new random one.")
    String hostCode;

    @Option(names = {"--host-code-env", "--host-env"}, paramLabel = "<VAR>",
            description = "Name of the environment variable that holds the host code, instead of --host-code.")
    String hostCodeEnv;

    @Override
    public Integer call() {
        String code = root().hostCode(spec, hostCode, "--host-code", hostCodeEnv, "--host-code-env");
        Event e = target().storeWithSchema(Clock.systemUTC()).create(new NewEvent(title, slug, description, code));
        out().println(Json.event(e, true));
        return 0;
    }
}
