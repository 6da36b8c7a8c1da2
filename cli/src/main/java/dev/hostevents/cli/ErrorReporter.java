package dev.hostevents.cli;

import dev.hostevents.HostCodes;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr, {@code error: <message>}, and an exit code: 2 for a
 * command line that could not be parsed, 1 for a command that failed. A stack trace follows only
 * with {@code --verbose}. Host codes given on the command line are never echoed back: the values of
 * {@code --host} and {@code --host-code} are cut out of every message, and anything shaped like a
 * host code is masked.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {
    /** Options whose value is a secret. */
    private static final Set<String> SECRET_OPTIONS = Set.of("--host", "--host-code");

    private final HostEventsCli root;

    ErrorReporter(HostEventsCli root) {
        this.root = root;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("error: " + clean(ex.getMessage(), args) + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        String[] args = parseResult.originalArgs().toArray(String[]::new);
        err.println("error: " + clean(message(ex), args));
        if (root.verbose()) {
            java.io.StringWriter trace = new java.io.StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            // Exception messages in the trace are masked too: a driver may quote a value it was given.
            err.print(redact(trace.toString(), args));
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    private static String message(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            Throwable cause = ex.getCause();
            return cause != null && cause != ex ? message(cause) : ex.getClass().getSimpleName();
        }
        return m;
    }

    /**
     * One line, no host codes, no value given to a secret option, and nothing a terminal acts on (a
     * message may quote a value read from the database).
     */
    static String clean(String message, String[] args) {
        return TerminalText.field(redact(message == null ? "" : message, args).strip().replaceAll("\\s*\\R\\s*", " "));
    }

    /** The text without the values given to secret options and with every host code masked. */
    private static String redact(String text, String[] args) {
        String m = text;
        for (String secret : secretValues(args)) {
            m = m.replace("'" + secret + "'", "'<host code>'");
            if (secret.strip().length() >= 4) {
                m = m.replace(secret, "<host code>");
            }
        }
        return HostCodes.maskAll(m);
    }

    private static List<String> secretValues(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            int eq = a.indexOf('=');
            if (eq > 0 && SECRET_OPTIONS.contains(a.substring(0, eq))) {
                out.add(a.substring(eq + 1));
            } else if (SECRET_OPTIONS.contains(a) && i + 1 < args.length) {
                out.add(args[i + 1]);
            }
        }
        out.removeIf(String::isEmpty);
        return out;
    }
}
