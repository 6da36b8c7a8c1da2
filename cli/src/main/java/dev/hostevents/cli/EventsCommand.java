package dev.hostevents.cli;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.HostCodes;
import dev.hostevents.HostEventsException;
import dev.hostevents.Page;
import dev.hostevents.PageRequest;
import dev.hostevents.ValidationException;
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
 *
 * <p>Every run is a new JVM, so a cursor is only useful to the next run when both sign with the same
 * key, {@code HOSTEVENTS_CURSOR_KEY}. Without it the tool prints no cursor (the next run would reject
 * it) but the next offset, and refuses {@code --cursor} with a line saying what to set.
 */
@Command(name = "events", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Print one page of a host's events, newest first.",
        description = {
            "Print one page of a host's events, newest first, then the next cursor ('next cursor: <c>', or 'next cursor: (none)' on the last page). With --offset, pages by offset and prints 'next offset: <n>' instead.",
            "Cursors are signed with the key in the environment variable " + EventStore.CURSOR_KEY_ENVIRONMENT
                    + " (base64:<key> or text, at least 16 bytes), the same for every run that pages on. Without it no cursor is printed, only the next offset, and --cursor is refused."})
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
        String key = root().environmentVariable(EventStore.CURSOR_KEY_ENVIRONMENT);
        if (cursor != null && key == null) {
            throw new HostEventsException("--cursor needs " + EventStore.CURSOR_KEY_ENVIRONMENT
                    + " set to the key of the run that printed the cursor (or page with --offset)");
        }
        // Without a key the store signs with a throwaway one (see DatabaseTarget), and no cursor is printed.
        EventStore store = target().storeWithSchema(Clock.systemUTC(), b -> {
            if (key != null) {
                cursorKey(b, key);
            }
        });
        List<Event> events;
        String next;
        String nextLabel;
        if (offset != null) {
            events = store.findByHost(host, limit, offset);
            // A full page may be the last one: look one row further (within the offset range) before promising more.
            boolean more = events.size() == limit
                    && (offset + limit > EventStore.MAX_OFFSET || !store.findByHost(host, 1, offset + limit).isEmpty());
            next = more ? Integer.toString(offset + limit) : null;
            nextLabel = "offset";
        } else {
            Page page = store.findByHost(host, cursor == null ? PageRequest.first(limit) : PageRequest.after(cursor, limit));
            events = page.events();
            if (key != null) {
                next = page.nextCursor().orElse(null);
                nextLabel = "cursor";
            } else {
                // Only a first page gets here (--cursor was refused), so the next page starts at offset limit.
                next = page.hasNext() ? Integer.toString(limit) : null;
                nextLabel = format == Format.JSON ? "offset" : "cursor";
            }
        }
        PrintWriter out = out();
        if (format == Format.JSON) {
            String nextJson = next == null ? "null" : nextLabel.equals("offset") ? next : Json.string(next);
            out.println("{\"events\":" + Json.events(events) + ",\"next_" + nextLabel + "\":" + nextJson + "}");
        } else {
            printTable(out, events);
            if (next != null && key == null && offset == null) {
                out.println("next cursor: (set " + EventStore.CURSOR_KEY_ENVIRONMENT + " to page by cursor across runs); next offset: " + next);
            } else {
                out.println("next " + nextLabel + ": " + (next == null ? "(none)" : next));
            }
        }
        return 0;
    }

    /** Sets the key the variable holds; a malformed one is a {@code cursor_key} error that names the variable. */
    private static void cursorKey(EventStore.Builder b, String setting) {
        try {
            b.cursorKey(setting);
        } catch (ValidationException e) {
            throw new ValidationException(e.field(), e.rule() + " (environment variable " + EventStore.CURSOR_KEY_ENVIRONMENT + ")");
        }
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
