package dev.hostevents.cli;

import dev.hostevents.migration.LogEntry;
import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.Revision;
import dev.hostevents.migration.RevisionChain;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code history [--verbose]}: the revision chain, newest first, in Alembic's format. The short form
 * needs no database; the verbose form also reads the current revision and what
 * {@code hostevents_migration_log} recorded for each revision.
 */
@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Print the revisions, newest first.",
        description = {
            "Print the revisions, newest first, as Alembic does:",
            "  9372cec8298d -> c1b85c454f94 (head), add_composite_index_host_code_created_at",
            "  <base> -> 9372cec8298d, Initial schema",
            "With -v/--verbose: Alembic's verbose blocks, the current revision, and what hostevents_migration_log recorded for each revision (this form reads the database)."})
final class HistoryCommand extends ToolCommand {
    @Override
    public Integer call() {
        PrintWriter out = out();
        if (!root().verbose()) {
            RevisionChain chain = RevisionChain.builtIn();
            for (Revision r : chain.newestFirst()) {
                out.println(parent(r) + " -> " + r.id() + (r == chain.head() ? " (head)" : "") + ", " + r.message());
            }
            return 0;
        }
        Migrator migrator = target().migrator();
        Optional<String> current = migrator.current();
        List<LogEntry> log = migrator.log();
        for (Revision r : migrator.history()) {
            out.println("Rev: " + r.id() + (migrator.isHead(r.id()) ? " (head)" : "")
                    + (current.isPresent() && current.get().equals(r.id()) ? " (current)" : ""));
            out.println("Parent: " + parent(r));
            out.println();
            out.println("    " + r.message());
            out.println();
            out.println("    Revision ID: " + r.id());
            out.println("    Revises: " + (r.downRevision() == null ? "" : r.downRevision()));
            for (LogEntry e : log) {
                if (r.id().equals(e.revision())) {
                    // The log table is writable by anything that can write the database: one escaped line.
                    out.println(TerminalText.field("    Applied: " + e.direction() + " " + label(e.fromRevision()) + " -> "
                            + label(e.toRevision()) + " at " + e.startedAt() + " by " + e.appliedBy() + ", " + e.durationMs()
                            + " ms, sha256 " + e.checksum() + (e.note() == null ? "" : " (" + e.note() + ")")));
                }
            }
            out.println();
        }
        return 0;
    }

    private static String parent(Revision r) {
        return r.downRevision() == null ? "<base>" : r.downRevision();
    }

    private static String label(String revision) {
        return revision == null || revision.isEmpty() ? "<base>" : revision;
    }
}
