package dev.hostevents.cli;

import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.VerifyReport;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code verify}: the live schema against the one the recorded revision promises. */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Check the live schema against the recorded revision.",
        description = {
            "Compare the live schema (table, index columns and their directions, uniqueness, validity) with the one the recorded revision promises.",
            "Exit 0 when it matches; exit 1 on drift, with one 'drift:' line per finding. 'advice:' lines are not drift.",
            "A database without the events table (at base) is not OK: 'MISSING: …', exit 1."})
final class VerifyCommand extends ToolCommand {
    @Override
    public Integer call() {
        DatabaseTarget target = target();
        Migrator migrator = target.migrator();
        VerifyReport report = migrator.verify();
        PrintWriter out = out();
        String at = MigrationOutput.revisionLabel(migrator, report.revision());
        // Findings quote names read from the catalog, which another application may have chosen.
        for (String d : report.drift()) {
            out.println("drift: " + TerminalText.field(d));
        }
        for (String a : report.advice()) {
            out.println("advice: " + TerminalText.field(a));
        }
        // At base with no table nothing drifted, but nothing is there to use either: not OK.
        if (report.ok() && report.revision() == null && !target.hasEventsTable()) {
            out.println("MISSING: table events is not there (database at revision base); run upgrade first");
            return 1;
        }
        if (report.ok()) {
            out.println("OK: the schema matches revision " + at);
            return 0;
        }
        out.println("DRIFT: " + report.drift().size() + " finding(s) against revision " + at);
        return 1;
    }
}
