package dev.hostevents.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link Quickstart#main} as the README's main command does. */
class QuickstartTest {
    @TempDir
    Path dir;

    @Test
    void quickstart_migrates_creates_andPagesOneHost_byOffsetAndByKeyset() throws Exception {
        Path file = dir.resolve("quickstart.db");

        List<String> lines = runMain(file.toString());

        assertThat(lines).containsSubsequence(
                "SQLite database: " + file.toAbsolutePath(),
                "Running upgrade  -> 9372cec8298d, Initial schema",
                "Running upgrade 9372cec8298d -> c1b85c454f94, add_composite_index_host_code_created_at");
        assertThat(lines).anyMatch(l -> l.matches("Created 7 events for host A \\(host_\\*{8}[a-z0-9]{4}\\) and 3 for host B \\(host_\\*{8}[a-z0-9]{4}\\)"));
        assertThat(lines).containsSubsequence(
                "Host A, newest first, by offset (3 per page):",
                "  offset 0: Office hours | Quarterly review | Team retro",
                "  offset 3: Product launch AMA | All-hands | Sprint demo",
                "  offset 6: Town hall Q&A",
                "Host A, newest first, by keyset cursor (3 per page):",
                "  page 1:   Office hours | Quarterly review | Team retro",
                "  page 2:   Product launch AMA | All-hands | Sprint demo",
                "  page 3:   Town hall Q&A",
                "Host B has 3 events; host A's pages never show them.");
        assertThat(lines).last().asString().startsWith("Plan of the page query on SQLite ")
                .endsWith(": index idx_host_event_created, no sort");
        assertThat(String.join("\n", lines)).doesNotContainPattern("host_[a-z0-9]{12}");
    }

    @Test
    void quickstart_again_onTheSameFile_findsTheSchemaAtHead_andOnlyItsOwnHosts() throws Exception {
        Path file = dir.resolve("again.db");
        runMain(file.toString());

        List<String> lines = runMain(file.toString());

        assertThat(lines).contains("Schema already at c1b85c454f94 (head)", "  offset 6: Town hall Q&A", "  page 3:   Town hall Q&A");
    }

    @Test
    void quickstart_withoutArguments_usesANewTemporaryFile_andDeletesItsFolderAtTheEnd() throws Exception {
        List<String> lines = runMain();

        assertThat(lines.get(0)).startsWith("SQLite database: ").contains("hostevents-quickstart").endsWith("quickstart.db");
        assertThat(lines).contains("Running upgrade  -> 9372cec8298d, Initial schema");
        Path file = Path.of(lines.get(0).substring("SQLite database: ".length()));
        assertThat(file.getParent()).doesNotExist();
    }

    static List<String> runMain(String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            Quickstart.main(args);
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
