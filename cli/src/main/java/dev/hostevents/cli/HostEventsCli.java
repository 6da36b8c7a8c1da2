package dev.hostevents.cli;

import dev.hostevents.HostEventsException;
import dev.hostevents.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code hostevents} command line tool: Alembic's migration commands with Alembic's output lines,
 * offline SQL, schema verification, the page query's plan, and a few commands to put events in and
 * read them back.
 *
 * <p>Exit codes: 0 success; 1 the command ran and failed (one line {@code error: <message>} on
 * stderr, a stack trace only with {@code --verbose}), or {@code verify}/{@code explain} found a
 * problem; 2 the command line itself is wrong.
 *
 * <p>The global options ({@code --url}, {@code --user}, {@code --password-env}, {@code --dialect},
 * {@code -v}) may be given before or after the command name.
 *
 * <p>Secrets stay off the command line, where any local user can read them
 * ({@code /proc/<pid>/cmdline}): the password comes from a variable ({@code --password-env}), a host
 * code may come from one ({@code --host-env}) or from standard input ({@code --host -}).
 */
@Command(name = "hostevents",
        mixinStandardHelpOptions = true,
        versionProvider = HostEventsCli.Version.class,
        sortOptions = false,
        description = {
            "Migrations (Alembic-compatible), offline SQL, schema checks and the host page query of the hostevents events table.",
            "Global options may also be given after the command name."},
        footer = {"", "Exit codes: 0 ok, 1 failed (or drift / bad plan), 2 bad command line."},
        subcommands = {
            UpgradeCommand.class,
            DowngradeCommand.class,
            CurrentCommand.class,
            HistoryCommand.class,
            SqlCommand.class,
            StampCommand.class,
            VerifyCommand.class,
            ExplainCommand.class,
            SeedCommand.class,
            EventsCommand.class,
            CreateCommand.class,
            AutoComplete.GenerateCompletion.class})
public final class HostEventsCli implements Runnable {
    /** The database file used when no {@code --url} is given, in the current folder. */
    public static final String DEFAULT_DATABASE_FILE = "hostevents.db";
    /** The value of a host code option that means "read it from standard input". */
    static final String FROM_STDIN = "-";
    /** Most characters read from standard input for a host code: a code is 17, with room for spaces. */
    private static final int STDIN_MAX = 256;

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "<jdbc-url>",
            description = "JDBC URL of the database (default: jdbc:sqlite:" + DEFAULT_DATABASE_FILE + ", a SQLite file in the current folder).")
    String url;

    @Option(names = "--user", scope = ScopeType.INHERIT, paramLabel = "<user>", description = "Database user.")
    String user;

    @Option(names = "--password-env", scope = ScopeType.INHERIT, paramLabel = "<VAR>",
            description = "Name of the environment variable that holds the database password (never a password on the command line).")
    String passwordEnv;

    @Option(names = "--dialect", scope = ScopeType.INHERIT, paramLabel = "<name>",
            description = "Dialect to use instead of the one picked from the database: sqlite, postgres, mysql, mariadb, h2.")
    String dialect;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "More detail: library logging, stack traces on errors, verbose history.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    private final Path workingDirectory;
    private final Function<String, String> environment;
    private final InputStream stdin;
    /** The secrets this run has read (password, host codes), so no error line or trace shows them. */
    private final SecretRedactor secrets = new SecretRedactor();

    /**
     * A tool that resolves the default database file against {@code workingDirectory} and reads
     * {@code --password-env} and {@code --host-env} variables from {@code environment}; it has no
     * standard input ({@code --host -} finds it empty).
     */
    public HostEventsCli(Path workingDirectory, Function<String, String> environment) {
        this(workingDirectory, environment, InputStream.nullInputStream());
    }

    /**
     * A tool as {@link #HostEventsCli(Path, Function)} that reads a host code given as {@code -} from
     * {@code stdin}.
     */
    public HostEventsCli(Path workingDirectory, Function<String, String> environment, InputStream stdin) {
        this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory").toAbsolutePath();
        this.environment = Objects.requireNonNull(environment, "environment");
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    /**
     * The configured command line: error handling, exit codes and output streams wired, no standard
     * input. Tests run it in-process with their own writers.
     */
    public static CommandLine commandLine(Path workingDirectory, Function<String, String> environment,
            PrintWriter out, PrintWriter err) {
        return commandLine(workingDirectory, environment, InputStream.nullInputStream(), out, err);
    }

    /**
     * The configured command line, as {@link #commandLine(Path, Function, PrintWriter, PrintWriter)},
     * reading a host code given as {@code -} from {@code stdin}.
     */
    public static CommandLine commandLine(Path workingDirectory, Function<String, String> environment, InputStream stdin,
            PrintWriter out, PrintWriter err) {
        ToolLogging.configure(false);
        HostEventsCli cli = new HostEventsCli(workingDirectory, environment, stdin);
        CommandLine cl = new CommandLine(cli);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        ErrorReporter reporter = new ErrorReporter(cli);
        cl.setParameterExceptionHandler(reporter);
        cl.setExecutionExceptionHandler(reporter);
        return cl;
    }

    /** Runs the tool and exits with its exit code. */
    public static void main(String[] args) {
        // Before the first logger exists: slf4j-simple reads its levels once.
        ToolLogging.configure(List.of(args).contains("-v") || List.of(args).contains("--verbose"));
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(Path.of(""), System::getenv, System.in, out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Without a command: a usage error (exit code 2). */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required");
    }

    /**
     * The database the global options point at.
     *
     * @param mayCreate whether a SQLite file that does not exist may be created
     */
    DatabaseTarget target(boolean mayCreate) {
        String password = null;
        if (passwordEnv != null) {
            password = environment.apply(passwordEnv);
            if (password == null) {
                throw new HostEventsException("environment variable " + passwordEnv + " (named by --password-env) is not set");
            }
            secrets.secret(password, SecretRedactor.REDACTED);
        }
        String jdbcUrl = url != null ? url.strip() : "jdbc:sqlite:" + DEFAULT_DATABASE_FILE;
        secrets.url(jdbcUrl);
        return new DatabaseTarget(jdbcUrl, user, password, dialect, workingDirectory, mayCreate);
    }

    /**
     * The host code a command was given: the value of {@code valueOption} ({@code -} reads one line
     * of standard input), or the variable named by {@code envOption}; {@code null} when neither was
     * given. Remembered as a secret of this run. Not checked here: the store checks it.
     *
     * @param spec the command, for a usage error when both were given
     * @throws ParameterException when both were given (exit code 2)
     * @throws ValidationException naming {@code host_code} when the variable is not set or standard
     *     input is empty
     */
    String hostCode(CommandSpec spec, String value, String valueOption, String envName, String envOption) {
        if (value != null && envName != null) {
            throw new ParameterException(spec.commandLine(), valueOption + " and " + envOption + " cannot be used together");
        }
        String code;
        if (envName != null) {
            code = environment.apply(envName);
            if (code == null) {
                throw new ValidationException("host_code", "variable " + envName + " (named by " + envOption + ") is not set");
            }
        } else if (FROM_STDIN.equals(value)) {
            code = firstLineOfStdin();
            if (code.isBlank()) {
                throw new ValidationException("host_code", "is required: standard input (" + valueOption + " -) was empty");
            }
        } else {
            code = value;
        }
        secrets.secret(code, "<host code>");
        return code;
    }

    /** The first line of standard input, at most {@value #STDIN_MAX} characters: a code, not a file. */
    private String firstLineOfStdin() {
        StringBuilder line = new StringBuilder();
        try {
            Reader in = new InputStreamReader(stdin, StandardCharsets.UTF_8);
            for (int c = in.read(); c >= 0 && c != '\n' && line.length() <= STDIN_MAX; c = in.read()) {
                line.append((char) c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the host code from standard input", e);
        }
        return line.toString().strip();
    }

    /** The secrets this run has read so far, for {@link ErrorReporter}. */
    SecretRedactor secrets() {
        return secrets;
    }

    /** The value of an environment variable of this run, or {@code null} when it is not set. */
    String environmentVariable(String name) {
        return environment.apply(name);
    }

    /** The {@code --dialect} value, or {@code null}. */
    String dialectName() {
        return dialect;
    }

    /** True with {@code -v}/{@code --verbose}. */
    boolean verbose() {
        return verbose;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = HostEventsCli.class.getPackage().getImplementationVersion();
            return new String[] {"hostevents " + (v == null ? "(development build)" : v)};
        }
    }
}
