package dev.hostevents.cli;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.HostCodes;
import dev.hostevents.Page;
import dev.hostevents.PageRequest;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code events --host <code>}: one page of a host's events, newest first, and how to get the next
 * one. Keyset paging by default ({@code --cursor}); {@code --offset} pages by offset instead.
 */
@Command(name = "events", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Print one page of a host's events, newest first.",
        description = {
            "Print one page of a host's events, newest first, then the next cursor ('next cursor: <c>', or 'next cursor: (none)' on the last page). With --offset, pages by offset and prints 'next offset: <n>' instead."})
final class EventsCommand extends ToolCommand {
    /** Output format. */
    enum Format { TABLE, JSON }

    @Mixin
    HostOptions hostOptions;

    @Option(names = "--limit", defaultValue = "10", paramLabel = "<n>", description = "Page size, 1-100. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--offset", paramLabel = "<n>", description = "Page by offset: rows to skip (0-100000).")
    Integer offset;

    @Option(names = "--cursor", paramLabel = "<cursor>", description = "The next cursor a previous page printed.")
    String cursor;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json", description = "Output format. Default: table.")
    Format format;

    @Override
    public Integer call() {
        if (offset != null && cursor != null) {
            throw usage("--offset and --cursor cannot be used together");
        }
        // Bad input is reported before the database is touched.
        String host = hostOptions.resolve(this);
        HostCodes.normalize(host);
        PageRequest.first(limit);
        EventStore store = target().storeWithSchema(Clock.systemUTC());
        List<Event> events;
        String next;
        String nextLabel;
        if (offset != null) {
            events = store.findByHost(host, limit, offset);
            next = events.size() == limit ? Integer.toString(offset + limit) : null;
            nextLabel = "offset";
        } else {
            Page page = store.findByHost(host, cursor == null ? PageRequest.first(limit) : PageRequest.after(cursor, limit));
            events = page.events();
            next = page.nextCursor().orElse(null);
            nextLabel = "cursor";
        }
        PrintWriter out = out();
        if (format == Format.JSON) {
            String nextJson = next == null ? "null" : nextLabel.equals("offset") ? next : Json.string(next);
            out.println("{\"events\":" + Json.events(events) + ",\"next_" + nextLabel + "\":" + nextJson + "}");
        } else {
            printTable(out, events);
            out.println("next " + nextLabel + ": " + (next == null ? "(none)" : next));
        }
        return 0;
    }

    private static void printTable(PrintWriter out, List<Event> events) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "CREATED_AT", "SLUG", "SHORT_CODE", "TITLE"});
        for (Event e : events) {
            // Rows may come from another application: nothing in them is sent to the terminal raw.
            rows.add(new String[] {Long.toString(e.id()), Json.timestamp(e.createdAt()), TerminalText.field(e.slug()),
                TerminalText.field(e.shortCode()), TerminalText.field(oneLine(e.title()))});
        }
        int[] width = new int[5];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
            }
            out.println(b.toString().stripTrailing());
        }
        if (events.isEmpty()) {
            out.println("(no events)");
        }
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ");
    }
}
