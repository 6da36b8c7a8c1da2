package dev.hostevents.cli;

import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.Transition;
import java.io.PrintWriter;

/** How {@code upgrade} and {@code downgrade} report what they did. */
final class MigrationOutput {
    private MigrationOutput() {
    }

    /** One Alembic line per applied revision, or one line saying there was nothing to do. */
    static void print(PrintWriter out, Migrator migrator, MigrationResult result) {
        if (result.nothingToDo()) {
            out.println("Nothing to do: the database is at " + revisionLabel(migrator, result.current()));
            return;
        }
        for (Transition t : result.transitions()) {
            out.println(t.alembicLine());
        }
    }

    /** {@code c1b85c454f94 (head)}, {@code 9372cec8298d}, or {@code base}. */
    static String revisionLabel(Migrator migrator, String revision) {
        if (revision == null) {
            return "base";
        }
        return TerminalText.field(revision) + (migrator.isHead(revision) ? " (head)" : "");
    }
}
