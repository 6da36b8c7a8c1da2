package dev.hostevents.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Prints the report's table and writes {@code report.json} and {@code report.md}. */
final class ReportWriter {
    private final List<ResultRow> rows;
    private final Map<String, String> environment;
    private final List<String> notes;
    private final ReportOptions options;

    ReportWriter(List<ResultRow> rows, Map<String, String> environment, List<String> notes, ReportOptions options) {
        this.rows = rows;
        this.environment = environment;
        this.notes = notes;
        this.options = options;
    }

    /** Date, JDK, OS, CPUs and memory of this run. */
    static Map<String, String> machine() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        m.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        m.put("jvm arguments", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("cpus", Runtime.getRuntime().availableProcessors() + cpuModel());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            m.put("memory", String.format(Locale.ROOT, "%.1f GiB total, JVM max heap %.1f GiB",
                    os.getTotalMemorySize() / 1073741824.0, Runtime.getRuntime().maxMemory() / 1073741824.0));
        }
        return m;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> " × " + l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The table printed at the end of a run. */
    String table() {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-22s %-18s %-36s %12s %12s %9s  %-5s %s%n";
        sb.append(String.format(fmt, "name", "database", "scale", "value", "baseline", "ratio", "met", "target"));
        for (ResultRow r : rows) {
            sb.append(String.format(fmt, r.name(), cut(r.database(), 18), cut(r.scale(), 36), amount(r.value(), r.unit()),
                    amount(r.baseline(), r.unit()), Report.fmtRatio(r.ratio()), met(r.met()), r.target()));
        }
        return sb.toString();
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), json(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.md"), markdown(), StandardCharsets.UTF_8);
    }

    String json() {
        StringBuilder sb = new StringBuilder("{\n  \"results\": [\n");
        for (int i = 0; i < rows.size(); i++) {
            ResultRow r = rows.get(i);
            boolean micros = r.unit().equals("us");
            sb.append("    {")
                    .append("\"name\": ").append(str(r.name()))
                    .append(", \"database\": ").append(str(r.database()))
                    .append(", \"scale\": ").append(str(r.scale()))
                    .append(", \"value_us\": ").append(micros ? num(r.value()) : "null")
                    .append(", \"baseline_us\": ").append(micros ? num(r.baseline()) : "null")
                    .append(", \"ratio\": ").append(num(r.ratio()))
                    .append(", \"target\": ").append(str(r.target()))
                    .append(", \"met\": ").append(r.met() == null ? "null" : r.met().toString())
                    .append(", \"value\": ").append(num(r.value()))
                    .append(", \"baseline\": ").append(num(r.baseline()))
                    .append(", \"unit\": ").append(str(r.unit()))
                    .append(", \"spread\": ").append(str(r.spread()))
                    .append(", \"meaning\": ").append(str(r.meaning()))
                    .append(i + 1 < rows.size() ? "},\n" : "}\n");
        }
        sb.append("  ],\n  \"environment\": {\n");
        int i = 0;
        for (Map.Entry<String, String> e : environment.entrySet()) {
            sb.append("    ").append(str(e.getKey())).append(": ").append(str(e.getValue()))
                    .append(++i < environment.size() ? ",\n" : "\n");
        }
        sb.append("  },\n  \"command\": ").append(str(command())).append("\n}\n");
        return sb.toString();
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("# hostevents benchmark report\n\n");
        sb.append("Made by `").append(command()).append("`.\n\n| | |\n|---|---|\n");
        environment.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        sb.append("\nEvery ratio is value / baseline, both sides measured interleaved in this process (alternating batches, "
                + "ABBA order, medians of the batches). Spread is the 25th–75th percentile of the per-round ratios.\n\n");
        sb.append("| name | database | scale | value | baseline | ratio | spread | target | met |\n");
        sb.append("|---|---|---|---:|---:|---:|---|---|---|\n");
        for (ResultRow r : rows) {
            sb.append("| ").append(r.name()).append(" | ").append(r.database()).append(" | ").append(r.scale())
                    .append(" | ").append(amount(r.value(), r.unit())).append(" | ").append(amount(r.baseline(), r.unit()))
                    .append(" | ").append(Report.fmtRatio(r.ratio())).append(" | ").append(r.spread())
                    .append(" | ").append(r.target()).append(" | ").append(met(r.met())).append(" |\n");
        }
        sb.append("\n## What each row compares\n\n");
        Set<String> seen = new LinkedHashSet<>();
        for (ResultRow r : rows) {
            if (seen.add(r.name() + r.meaning().replaceAll("[0-9,]+ calls/s|\\d+-thread", ""))) {
                sb.append("- `").append(r.name()).append("`: ").append(r.meaning()).append('\n');
            }
        }
        if (!notes.isEmpty()) {
            sb.append("\n## Plans\n\n");
            for (String n : notes) {
                sb.append("- ").append(n.replace("|", "\\|")).append('\n');
            }
        }
        return sb.toString();
    }

    private String command() {
        return ("java -jar bench/target/hostevents-bench.jar report " + options.commandLine()).strip();
    }

    static String amount(double v, String unit) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (unit.equals("bytes/row")) {
            return String.format(Locale.ROOT, "%.1f B/row", v);
        }
        if (v < 1_000) {
            return String.format(Locale.ROOT, "%.1f µs", v);
        }
        if (v < 1_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.2f s", v / 1e6);
    }

    private static String met(Boolean met) {
        return met == null ? "-" : met ? "yes" : "NO";
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
