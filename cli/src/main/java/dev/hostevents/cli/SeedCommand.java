package dev.hostevents.cli;

import dev.hostevents.EventStore;
import dev.hostevents.HostCodes;
import dev.hostevents.NewEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seed --hosts N --events-per-host M}: fills the table with realistic rows. Hosts' events are
 * interleaved in time, {@code created_at} spreads over about 90 days with some ties within a host, and rows go in
 * through {@link EventStore#createAll} in batches (one transaction each). The same {@code --seed}
 * gives the same times, titles and order; host codes are always new and random (they are
 * credentials).
 */
@Command(name = "seed", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Fill the table with realistic rows.",
        description = {
            "Fill the events table with realistic rows: N hosts with M events each, interleaved over about 90 days with some created_at ties within a host, inserted in batches (one transaction each). Shows a progress bar on a terminal.",
            "The same --seed gives the same times, titles and order; host codes are always new and random, and printed only with --print-host-codes."})
final class SeedCommand extends ToolCommand {
    /** Most rows one run makes. */
    static final long MAX_ROWS = 10_000_000;
    private static final long SPAN_MICROS = TimeUnit.DAYS.toMicros(90);
    private static final String[] TOPICS = {"Town hall", "All-hands", "Product review", "Ask me anything", "Sprint demo",
        "Team retro", "Keynote", "Panel", "Workshop", "Office hours", "Launch briefing", "Quarterly update"};
    private static final String[] FORMATS = {"Q&A", "poll", "live questions", "feedback", "open mic"};

    @Option(names = "--hosts", required = true, paramLabel = "<N>", description = "Number of hosts, 1-1000000.")
    int hosts;

    @Option(names = "--events-per-host", required = true, paramLabel = "<M>", description = "Events per host, 1-1000000.")
    int eventsPerHost;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "<S>", description = "Seed of times, titles and order. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--batch-size", defaultValue = "1000", paramLabel = "<n>", description = "Rows per transaction, 1-100000. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--print-host-codes", description = "Print the host codes made, one per line, after the summary.")
    boolean printHostCodes;

    @Override
    public Integer call() {
        checkRange("--hosts", hosts, 1_000_000);
        checkRange("--events-per-host", eventsPerHost, 1_000_000);
        checkRange("--batch-size", batchSize, 100_000);
        long total = (long) hosts * eventsPerHost;
        if (total > MAX_ROWS) {
            throw usage("--hosts x --events-per-host must be at most " + MAX_ROWS + " rows");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[(int) total];
        BitSet ties = new BitSet(order.length);
        interleave(hosts, eventsPerHost, random, order, ties);
        EventStore store = target().storeWithSchema(new SeedClock(~seed, ties, SPAN_MICROS / total));

        List<String> codes = new ArrayList<>(hosts);
        for (int h = 0; h < hosts; h++) {
            codes.add(HostCodes.generate());
        }
        Progress progress = new Progress(System.console() != null ? err() : null, total);
        List<NewEvent> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < order.length; i++) {
            batch.add(event(codes.get(order[i]), i, random));
            if (batch.size() == batchSize || i == order.length - 1) {
                store.createAll(batch);
                batch.clear();
                progress.show(i + 1L);
            }
        }
        progress.done();

        PrintWriter out = out();
        out.println("Seeded " + total + " events for " + hosts + " hosts (seed " + seed + ")");
        if (printHostCodes) {
            codes.forEach(out::println);
        }
        return 0;
    }

    private void checkRange(String option, int value, int max) {
        if (value < 1 || value > max) {
            throw usage(option + " must be between 1 and " + max);
        }
    }

    /**
     * Which host each event belongs to, in time order: a host with events left is picked at random,
     * so hosts take turns unevenly, as in life. About one pick in twenty makes two events at the same
     * instant ({@code ties}), the case the page order's {@code id} tie-break exists for.
     */
    private static void interleave(int hosts, int eventsPerHost, SplittableRandom random, int[] order, BitSet ties) {
        int[] left = new int[hosts];
        int[] active = new int[hosts];
        for (int h = 0; h < hosts; h++) {
            left[h] = eventsPerHost;
            active[h] = h;
        }
        int activeCount = hosts;
        int i = 0;
        while (i < order.length) {
            int slot = random.nextInt(activeCount);
            int h = active[slot];
            int run = left[h] >= 2 && random.nextInt(20) == 0 ? 2 : 1;
            for (int r = 0; r < run; r++) {
                if (r > 0) {
                    ties.set(i);
                }
                order[i++] = h;
                left[h]--;
            }
            if (left[h] == 0) {
                active[slot] = active[--activeCount];
            }
        }
    }

    private static NewEvent event(String hostCode, int n, SplittableRandom random) {
        // The running number keeps derived slugs distinct, so no slug needs a second look-up.
        String title = TOPICS[random.nextInt(TOPICS.length)] + " " + FORMATS[random.nextInt(FORMATS.length)] + " " + (n + 1);
        String description = random.nextInt(3) == 0 ? null
                : "Seeded event " + (n + 1) + ": questions from the audience, upvoted live.";
        return new NewEvent(title, null, description, hostCode);
    }

    /** A one-line progress bar redrawn with carriage returns; silent when not on a terminal. */
    private static final class Progress {
        private static final int WIDTH = 30;
        private final PrintWriter terminal;
        private final long total;

        Progress(PrintWriter terminal, long total) {
            this.terminal = terminal;
            this.total = total;
        }

        void show(long done) {
            if (terminal == null) {
                return;
            }
            int filled = (int) (WIDTH * done / total);
            terminal.print("\rseeding [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                    + (100 * done / total) + "% " + done + "/" + total);
            terminal.flush();
        }

        void done() {
            if (terminal != null) {
                terminal.println();
                terminal.flush();
            }
        }
    }
}
