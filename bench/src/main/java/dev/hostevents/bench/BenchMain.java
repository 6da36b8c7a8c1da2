package dev.hostevents.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Entry point of {@code hostevents-bench.jar}. {@code report [options]} runs the side-by-side report
 * ({@link Report}); anything else is handed to JMH unchanged ({@code -l} lists the benchmarks,
 * {@code -prof jfr} profiles them, …).
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** Runs the report or JMH. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("report")) {
            ReportOptions options;
            try {
                options = ReportOptions.parse(Arrays.asList(args).subList(1, args.length), defaultOut());
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                System.exit(2);
                return;
            }
            Report.run(options, System.out);
            // Pool housekeeping and embedded servers must not keep the JVM alive after the report.
            System.exit(0);
        }
        org.openjdk.jmh.Main.main(args);
    }

    /**
     * Next to the jar ({@code bench/target} after a build), so the files land in the same place
     * whichever folder the command is run from; {@code target} when run from classes.
     */
    static Path defaultOut() {
        try {
            Path code = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(code)) {
                return code.getParent();
            }
            return code.getParent() != null ? code.getParent() : Path.of("target");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target");
        }
    }
}
