package dev.hostevents.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the report end to end on tiny data and checks what it writes. Structure only: timings on a
 * shared machine prove nothing, so no number is compared with a target here.
 */
class QuickReportSmokeTest {
    private static final Pattern HOST_CODE = Pattern.compile("host_[a-z0-9]{12}");

    @TempDir
    Path out;

    @Test
    @SuppressWarnings("unchecked")
    void report_onTinyData_writesJsonAndMarkdownWithEveryRequiredName() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ReportOptions options = ReportOptions.parse(List.of("--data", "tiny", "--budget", "tiny", "--out", out.toString()),
                Path.of("unused"));

        List<ResultRow> rows = Report.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));

        String json = Files.readString(out.resolve("report.json"));
        String md = Files.readString(out.resolve("report.md"));
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(json);
        List<Map<String, Object>> results = (List<Map<String, Object>>) root.get("results");
        assertThat(results).hasSize(rows.size());
        for (Map<String, Object> r : results) {
            assertThat(r).containsKeys("name", "database", "scale", "value_us", "baseline_us", "ratio", "target", "met");
            assertThat(r.get("name")).isInstanceOf(String.class);
            assertThat(r.get("database")).isInstanceOf(String.class);
            assertThat(r.get("scale")).isInstanceOf(String.class);
            assertThat(r.get("target")).isInstanceOf(String.class);
            assertThat(r.get("met")).satisfiesAnyOf(m -> assertThat(m).isNull(), m -> assertThat(m).isInstanceOf(Boolean.class));
        }
        Map<String, List<Map<String, Object>>> byName = results.stream()
                .collect(Collectors.groupingBy(r -> (String) r.get("name")));
        assertThat(byName).containsKeys("index_speedup", "overhead_vs_jdbc", "keyset_depth", "offset_depth");
        // One index_speedup per events-per-host size of the data.
        assertThat(byName.get("index_speedup")).extracting(r -> (String) r.get("scale"))
                .containsExactly(DataSpec.tiny().hostSizes().stream()
                        .map(n -> "events_per_host=" + n + " rows=" + DataSpec.tiny().totalRows()).toArray(String[]::new));
        for (String name : List.of("index_speedup", "overhead_vs_jdbc", "keyset_depth", "offset_depth")) {
            for (Map<String, Object> r : byName.get(name)) {
                assertThat(r.get("value_us")).isInstanceOf(Double.class);
                assertThat(r.get("baseline_us")).isInstanceOf(Double.class);
                assertThat(r.get("ratio")).isInstanceOf(Double.class);
                assertThat(r.get("met")).isInstanceOf(Boolean.class);
                // ratio is value / baseline (to the three decimals written)
                double expected = (Double) r.get("value_us") / (Double) r.get("baseline_us");
                assertThat((Double) r.get("ratio")).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1));
            }
        }
        // The HTTP example under load, against the minimal handler: both answered, ratio is value / baseline.
        assertThat(byName.get("http_vs_minimal_handler")).singleElement().satisfies(r -> {
            assertThat((String) r.get("scale")).startsWith("connections=4 keep-alive events_per_host=1000").endsWith("nodelay=on");
            assertThat((Double) r.get("value_us")).isPositive();
            assertThat((Double) r.get("ratio")).isCloseTo((Double) r.get("value_us") / (Double) r.get("baseline_us"),
                    org.assertj.core.data.Percentage.withPercentage(1));
            assertThat(r.get("met")).isNull();
        });
        assertThat(root).containsKey("environment");

        assertThat(md).contains("| name | database | scale |", "index_speedup", "overhead_vs_jdbc", "keyset_depth",
                "offset_depth", "jdk", "date");
        assertThat(md).contains(((Map<String, Object>) root.get("environment")).keySet().stream()
                .filter(k -> k.startsWith("database ")).findFirst().orElseThrow());
        // Host codes are credentials: never in what the report prints or writes.
        assertThat(HOST_CODE.matcher(json).find()).isFalse();
        assertThat(HOST_CODE.matcher(md).find()).isFalse();
        assertThat(HOST_CODE.matcher(printed.toString(StandardCharsets.UTF_8)).find()).isFalse();
    }
}
