package dev.hostevents.cli;

import dev.hostevents.HostEventsException;
import java.io.PrintWriter;
import java.nio.file.Path;
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

    static {
        // jOOQ prints a banner and tips through the logger; a tool's output is a contract.
        setIfAbsent("org.jooq.no-logo", "true");
        setIfAbsent("org.jooq.no-tips", "true");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    }

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

    /**
     * A tool that resolves the default database file against {@code workingDirectory} and reads
     * {@code --password-env} variables from {@code environment}.
     */
    public HostEventsCli(Path workingDirectory, Function<String, String> environment) {
        this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory").toAbsolutePath();
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * The configured command line: error handling, exit codes and output streams wired. Tests run it
     * in-process with their own writers.
     */
    public static CommandLine commandLine(Path workingDirectory, Function<String, String> environment,
            PrintWriter out, PrintWriter err) {
        HostEventsCli cli = new HostEventsCli(workingDirectory, environment);
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
        for (String a : args) {
            if (a.equals("-v") || a.equals("--verbose")) {
                // Before the first logger exists: slf4j-simple reads its level once.
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
            }
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(Path.of(""), System::getenv, out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Without a command: a usage error (exit code 2). */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required");
    }

    /** The database the global options point at. */
    DatabaseTarget target() {
        String password = null;
        if (passwordEnv != null) {
            password = environment.apply(passwordEnv);
            if (password == null) {
                throw new HostEventsException("environment variable " + passwordEnv + " (named by --password-env) is not set");
            }
        }
        String jdbcUrl = url != null ? url.strip() : "jdbc:sqlite:" + DEFAULT_DATABASE_FILE;
        return new DatabaseTarget(jdbcUrl, user, password, dialect, workingDirectory);
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

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
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
