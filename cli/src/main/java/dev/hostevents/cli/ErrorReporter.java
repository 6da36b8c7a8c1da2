package dev.hostevents.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
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
 * with {@code --verbose}. Secrets are never echoed back, in the line or the trace
 * ({@link SecretRedactor}): the values of {@code --host} and {@code --host-code}, host codes read from
 * a variable or standard input, the password read through {@code --password-env}, the user info and
 * password parameters of {@code --url}; anything shaped like a host code is masked.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {
    /** Options whose value is a host code. */
    private static final Set<String> HOST_CODE_OPTIONS = Set.of("--host", "--host-code");
    /** Options whose value is a JDBC URL. */
    private static final Set<String> URL_OPTIONS = Set.of("--url");
    private static final String HOST_CODE_SHOWN_AS = "<host code>";

    private final HostEventsCli root;

    ErrorReporter(HostEventsCli root) {
        this.root = root;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("error: " + clean(ex.getMessage(), redactor(args)) + suggestions(ex)
                + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        SecretRedactor redactor = redactor(parseResult.originalArgs().toArray(String[]::new));
        err.println("error: " + clean(message(ex), redactor));
        if (root.verbose()) {
            StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            // Exception messages in the trace are redacted too: a driver may quote a value it was given.
            err.print(TerminalText.lines(redactor.redact(trace.toString())));
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** picocli's close matches for a mistyped command or option, on the same line; only our own names. */
    private static String suggestions(ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            return "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        return "";
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
     * One line, no secrets, and nothing a terminal acts on (a message may quote a value read from
     * the database).
     */
    static String clean(String message, SecretRedactor redactor) {
        return TerminalText.field(redactor.redact(message == null ? "" : message).strip().replaceAll("\\s*\\R\\s*", " "));
    }

    /** The secrets of this run: what the command line gave, and what the tool read from variables and standard input. */
    private SecretRedactor redactor(String[] args) {
        SecretRedactor redactor = root.secrets();
        for (String code : optionValues(args, HOST_CODE_OPTIONS)) {
            redactor.secret(code, HOST_CODE_SHOWN_AS);
        }
        for (String url : optionValues(args, URL_OPTIONS)) {
            redactor.url(url);
        }
        return redactor;
    }

    private static List<String> optionValues(String[] args, Set<String> options) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            int eq = a.indexOf('=');
            if (eq > 0 && options.contains(a.substring(0, eq))) {
                out.add(a.substring(eq + 1));
            } else if (options.contains(a) && i + 1 < args.length) {
                out.add(args[i + 1]);
            }
        }
        out.removeIf(String::isEmpty);
        return out;
    }
}
