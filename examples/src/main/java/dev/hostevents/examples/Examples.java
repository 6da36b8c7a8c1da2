package dev.hostevents.examples;

import dev.hostevents.HostEventsException;
import java.io.PrintStream;
import javax.sql.DataSource;

/** What the server examples share: run the tour, and turn a failure into one line. */
final class Examples {
    private Examples() {
    }

    /** Runs {@link PagingTour}; on failure prints {@code error: <message>} on one line and returns 1. */
    static int runTour(DataSource dataSource, PrintStream out, PrintStream err) {
        try {
            PagingTour.run(dataSource, out);
            return 0;
        } catch (HostEventsException e) {
            // The library's messages never hold a host code; a driver's may span lines.
            err.println("error: " + oneLine(e.getMessage()));
            return 1;
        }
    }

    /** The text on one line. */
    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
