package dev.hostevents.examples;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.HostCodes;
import dev.hostevents.NewEvent;
import dev.hostevents.Page;
import dev.hostevents.PageRequest;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.Transition;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The flow every database example runs, on any data source: migrate to head, create events for two
 * hosts, then read one host's events newest first, by offset and by keyset cursor, and ask the
 * database for the plan of the page query. Host codes are printed masked: they are credentials.
 */
public final class PagingTour {
    /** Events created for host A, oldest first. */
    public static final List<String> HOST_A_TITLES = List.of("Town hall Q&A", "Sprint demo", "All-hands",
            "Product launch AMA", "Team retro", "Quarterly review", "Office hours");
    /** Events created for host B. */
    public static final List<String> HOST_B_TITLES = List.of("Keynote", "Panel", "Workshop");
    /** Page size of the tour. */
    public static final int PAGE_SIZE = 3;

    private PagingTour() {
    }

    /**
     * Runs the tour on {@code dataSource}, printing what it does to {@code out}.
     *
     * @return host A's events as the keyset pages returned them, newest first
     */
    public static List<Event> run(DataSource dataSource, PrintStream out) {
        // 1. Schema: Alembic-compatible, safe to run on every start.
        Migrator migrator = Migrator.create(dataSource);
        MigrationResult migrated = migrator.upgrade("head");
        for (Transition t : migrated.transitions()) {
            out.println(t.alembicLine());
        }
        if (migrated.nothingToDo()) {
            out.println("Schema already at " + migrated.current() + " (head)");
        }

        // 2. Events: the first event of a host gets a generated host code; reuse it for the host's others.
        EventStore store = EventStore.create(dataSource);
        String hostA = createForNewHost(store, HOST_A_TITLES);
        String hostB = createForNewHost(store, HOST_B_TITLES);
        out.println("Created " + HOST_A_TITLES.size() + " events for host A (" + HostCodes.mask(hostA) + ") and "
                + HOST_B_TITLES.size() + " for host B (" + HostCodes.mask(hostB) + ")");

        // 3. Offset paging: simple, but a deep page costs what it skips.
        out.println();
        out.println("Host A, newest first, by offset (" + PAGE_SIZE + " per page):");
        for (int offset = 0; offset < HOST_A_TITLES.size(); offset += PAGE_SIZE) {
            out.println("  offset " + offset + ": " + titles(store.findByHost(hostA, PAGE_SIZE, offset)));
        }

        // 4. Keyset paging: each page seeks to the previous page's last row in the composite index.
        out.println("Host A, newest first, by keyset cursor (" + PAGE_SIZE + " per page):");
        List<Event> seen = new java.util.ArrayList<>();
        Page page = store.findByHost(hostA, PageRequest.first(PAGE_SIZE));
        for (int n = 1; ; n++) {
            out.println("  page " + n + ":   " + titles(page.events()));
            seen.addAll(page.events());
            if (!page.hasNext()) {
                break;
            }
            page = store.findByHost(hostA, PageRequest.after(page.nextCursor().orElseThrow(), PAGE_SIZE));
        }
        out.println("Host B has " + store.countByHost(hostB) + " events; host A's pages never show them.");

        // 5. The database's own plan of the page query.
        out.println("Plan of the page query on " + store.diagnostics().server() + ": " + store.diagnostics().explainFindByHost(hostA, PAGE_SIZE, 0).verdict());
        return seen;
    }

    /** Creates the events, oldest first, for a new host; returns its (generated) host code. */
    private static String createForNewHost(EventStore store, List<String> titles) {
        String host = null;
        for (String title : titles) {
            Event e = store.create(host == null ? NewEvent.titled(title) : NewEvent.titled(title).withHostCode(host));
            host = e.hostCode();
        }
        return host;
    }

    private static String titles(List<Event> events) {
        return events.stream().map(Event::title).collect(Collectors.joining(" | "));
    }
}
