package dev.hostevents.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@code report}: {@code [--quick] [--data full|quick|tiny] [--databases a,b] [--out DIR]
 * [--seed N]}.
 *
 * @param spec the rows
 * @param budget how long each comparison measures
 * @param databases engines to run on, e.g. {@code sqlite}; empty means the default set
 * @param out folder that receives {@code report.json} and {@code report.md}
 * @param commandLine the arguments as given, for the report's "how it was made" line
 */
public record ReportOptions(DataSpec spec, Interleaved.Budget budget, List<String> databases, Path out, String commandLine) {
    public ReportOptions {
        databases = List.copyOf(databases);
    }

    /** Parses the arguments that follow {@code report}. */
    public static ReportOptions parse(List<String> args, Path defaultOut) {
        String data = "full";
        String budget = null;
        List<String> databases = new ArrayList<>();
        Path out = defaultOut;
        Long seed = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--quick" -> data = "quick";
                case "--data" -> data = value(args, ++i, a);
                case "--budget" -> budget = value(args, ++i, a);
                case "--databases" -> databases = List.of(value(args, ++i, a).split(","));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown report option " + a
                        + " (use --quick, --data full|quick|tiny, --budget full|quick|tiny, --databases sqlite,postgres,"
                        + "mariadb-old,mariadb-new,h2, --out DIR, --seed N)");
            }
        }
        DataSpec spec = DataSpec.named(data);
        if (seed != null) {
            spec = new DataSpec(spec.label(), seed, spec.totalRows(), spec.hostSizes(), spec.deepPosition());
        }
        String b = budget == null ? data : budget;
        Interleaved.Budget chosen = switch (b) {
            case "full" -> Interleaved.Budget.full();
            case "quick" -> Interleaved.Budget.quick();
            case "tiny" -> Interleaved.Budget.tiny();
            default -> throw new IllegalArgumentException("budget must be full, quick or tiny, not " + b);
        };
        return new ReportOptions(spec, chosen, databases, out, String.join(" ", args));
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }
}
