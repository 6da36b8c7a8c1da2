package dev.hostevents.cli;

import picocli.CommandLine.Option;

/**
 * Where {@code events} and {@code explain} take the host code from: {@code --host <code>},
 * {@code --host -} (one line of standard input) or {@code --host-env <VAR>}. The last two keep the code
 * off the command line, which any local user can read in {@code /proc/<pid>/cmdline}.
 */
final class HostOptions {
    @Option(names = "--host", paramLabel = "<code>",
            description = "The host code (host_ + 12 letters or digits), or - to read it from standard input.")
    String host;

    @Option(names = "--host-env", paramLabel = "<VAR>",
            description = "Name of the environment variable that holds the host code, instead of --host.")
    String hostEnv;

    /** The host code given one of the three ways; a usage error when none or two were used. */
    String resolve(ToolCommand command) {
        String code = command.root().hostCode(command.spec, host, "--host", hostEnv, "--host-env");
        if (code == null) {
            throw command.usage("Missing required option: '--host=<code>' (or --host-env=<VAR>, or --host - to read standard input)");
        }
        return code;
    }
}
