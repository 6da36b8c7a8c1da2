package dev.hostevents.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the global options, the database they name, and the output. */
abstract class ToolCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The top-level command, which holds the global options. */
    HostEventsCli root() {
        return (HostEventsCli) spec.root().userObject();
    }

    /** The database the global options point at. */
    DatabaseTarget target() {
        return root().target(createsDatabase());
    }

    /**
     * Whether this command may create a SQLite file that does not exist yet. Only the commands that
     * build a schema do; for every other one a missing file is a mistyped path, refused before connecting.
     */
    boolean createsDatabase() {
        return false;
    }

    /** Standard output. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Standard error. */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A usage error (exit code 2) about this command's command line. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
