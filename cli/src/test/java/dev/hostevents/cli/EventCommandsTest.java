package dev.hostevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** create, seed, events and explain on a SQLite file at head. */
class EventCommandsTest {
    /** The cursor key every run of a paging session shares, as a deployment would set it. */
    static final Map<String, String> KEY = Map.of("HOSTEVENTS_CURSOR_KEY", "base64:q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k=");

    @TempDir
    Path dir;

    @BeforeEach
    void migrate() {
        assertThat(CliRun.in(dir, "upgrade").exitCode()).isZero();
    }

    @Test
    void create_printsTheEventAsJson_withItsHostCode_once() {
        CliRun.Result r = CliRun.in(dir, "create", "--title", "Town \"hall\" Q&A", "--description", "line one\nline two");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.outLines()).hasSize(1);
        assertThat(r.json("title")).isEqualTo("Town \\\"hall\\\" Q&A");
        assertThat(r.json("description")).isEqualTo("line one\\nline two");
        assertThat(r.json("slug")).isEqualTo("town-hall-q-a");
        assertThat(r.json("host_code")).matches("host_[a-z0-9]{12}");
        assertThat(r.json("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(r.json("is_active")).isEqualTo("true");

        // The host code is not shown again when the events are listed.
        CliRun.Result listed = CliRun.in(dir, "events", "--host", r.json("host_code"), "--format", "json");
        assertThat(listed.out()).contains("\"slug\":\"town-hall-q-a\"").doesNotContain(r.json("host_code"));
    }

    @Test
    void create_withAGivenHostCode_andSlug_keepsThem_normalised() {
        CliRun.Result r = CliRun.in(dir, "create", "--title", "Retro", "--slug", "sprint-42-retro", "--host-code", " HOST_ABCDEF123456 ");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json("host_code")).isEqualTo("host_abcdef123456");
        assertThat(r.json("slug")).isEqualTo("sprint-42-retro");
    }

    @Test
    void seed_makesHostsTimesEvents_withTies_andPrintsHostCodesOnlyWhenAsked() throws Exception {
        CliRun.Result quiet = CliRun.in(dir, "seed", "--hosts", "2", "--events-per-host", "5");
        assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        assertThat(quiet.outLines()).containsExactly("Seeded 10 events for 2 hosts (seed 1)");
        assertThat(quiet.out()).doesNotContain("host_");

        CliRun.Result r = CliRun.in(dir, "seed", "--hosts", "4", "--events-per-host", "150", "--seed", "7",
                "--batch-size", "64", "--print-host-codes");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.outLines()).hasSize(5);
        assertThat(r.outLines().get(0)).isEqualTo("Seeded 600 events for 4 hosts (seed 7)");
        assertThat(r.outLines().subList(1, 5)).allMatch(l -> l.matches("host_[a-z0-9]{12}")).doesNotHaveDuplicates();
        assertThat(r.err()).isEmpty(); // no terminal, no progress bar
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hostevents.db"));
                Statement s = c.createStatement()) {
            for (String host : r.outLines().subList(1, 5)) {
                assertThat(count(s, "SELECT count(*) FROM events WHERE host_code = '" + host + "'")).isEqualTo(150);
            }
            assertThat(count(s, "SELECT count(*) FROM (SELECT host_code, created_at FROM events"
                    + " GROUP BY host_code, created_at HAVING count(*) > 1)")).as("created_at ties within a host").isPositive();
            assertThat(count(s, "SELECT count(DISTINCT substr(created_at, 1, 10)) FROM events")).as("days spread").isGreaterThan(30);
        }
    }

    @Test
    void seed_sameSeed_sameTimes() throws Exception {
        Path other = dir.resolve("other");
        java.nio.file.Files.createDirectories(other);
        CliRun.in(other, "upgrade");

        CliRun.in(dir, "seed", "--hosts", "3", "--events-per-host", "20", "--seed", "11");
        CliRun.in(other, "seed", "--hosts", "3", "--events-per-host", "20", "--seed", "11");

        assertThat(times(dir)).isEqualTo(times(other)).hasSize(60);
    }

    @Test
    void events_cursorPaging_walksEveryEventOnce_newestFirst_inTableAndJson() {
        String host = seedOneHost(23);
        List<String> ids = new ArrayList<>();
        List<String> times = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            CliRun.Result r = cursor == null
                    ? CliRun.in(dir, KEY, "events", "--host", host, "--limit", "5", "--format", "json")
                    : CliRun.in(dir, KEY, "events", "--host", host, "--limit", "5", "--format", "json", "--cursor", cursor);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            ids.addAll(r.jsonAll("id"));
            times.addAll(r.jsonAll("created_at"));
            String next = r.json("next_cursor");
            cursor = next.equals("null") ? null : next;
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(5);
        assertThat(ids).hasSize(23).doesNotHaveDuplicates();
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        CliRun.Result table = CliRun.in(dir, KEY, "events", "--host", host, "--limit", "5");
        assertThat(table.outLines().get(0)).matches("ID +CREATED_AT +SLUG +SHORT_CODE +TITLE");
        assertThat(table.outLines()).hasSize(7);
        assertThat(table.outLines().get(1)).startsWith(ids.get(0) + " ");
        assertThat(table.outLines().get(6)).startsWith("next cursor: ").doesNotEndWith("(none)");
        String tableCursor = table.outLines().get(6).substring("next cursor: ".length());
        CliRun.Result second = CliRun.in(dir, KEY, "events", "--host", host, "--limit", "5", "--cursor", tableCursor);
        assertThat(second.outLines().get(1)).startsWith(ids.get(5) + " ");
    }

    @Test
    void events_withoutACursorKey_printsNoCursorTheNextRunWouldReject_butTheNextOffset() {
        String host = seedOneHost(12);
        List<String> all = CliRun.in(dir, "events", "--host", host, "--limit", "100", "--format", "json").jsonAll("id");

        CliRun.Result table = CliRun.in(dir, "events", "--host", host, "--limit", "5");
        CliRun.Result json = CliRun.in(dir, "events", "--host", host, "--limit", "5", "--format", "json");

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.outLines()).last().isEqualTo("next cursor: (set HOSTEVENTS_CURSOR_KEY to page by cursor across runs); next offset: 5");
        assertThat(json.out()).doesNotContain("next_cursor");
        assertThat(json.json("next_offset")).isEqualTo("5");
        assertThat(table.err()).as("no library WARN about the key either").isEmpty();
        // What it points at is the next page indeed.
        assertThat(CliRun.in(dir, "events", "--host", host, "--limit", "5", "--offset", "5", "--format", "json").jsonAll("id"))
                .isEqualTo(all.subList(5, 10));
        assertThat(CliRun.in(dir, "events", "--host", host, "--limit", "100").outLines()).last().isEqualTo("next cursor: (none)");
    }

    @Test
    void events_withACursor_butNoKey_saysWhatToSet_beforeTouchingTheDatabase() {
        String host = seedOneHost(12);
        String cursor = CliRun.in(dir, KEY, "events", "--host", host, "--limit", "5", "--format", "json").json("next_cursor");

        CliRun.Result r = CliRun.in(dir, "events", "--host", host, "--limit", "5", "--cursor", cursor);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly(
                "error: --cursor needs HOSTEVENTS_CURSOR_KEY set to the key of the run that printed the cursor (or page with --offset)");
    }

    @Test
    void events_aCursorFromARunWithAnotherKey_isRefused_withStartAgain() {
        String host = seedOneHost(12);
        String cursor = CliRun.in(dir, KEY, "events", "--host", host, "--limit", "5", "--format", "json").json("next_cursor");

        CliRun.Result r = CliRun.in(dir, Map.of("HOSTEVENTS_CURSOR_KEY", "another-key-of-a-deployment"),
                "events", "--host", host, "--limit", "5", "--cursor", cursor);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().startsWith("error: cursor is not a valid cursor")
                .endsWith("start again from the first page");
    }

    @Test
    void events_aMalformedCursorKey_isOneErrorLineNamingTheVariable_neverTheValue() {
        for (String bad : List.of("too-short", "base64:%%%not-base64%%%")) {
            CliRun.Result r = CliRun.in(dir, Map.of("HOSTEVENTS_CURSOR_KEY", bad), "events", "--host", "host_000000000000");

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.errLines()).singleElement().asString().startsWith("error: cursor key ")
                    .contains("(environment variable HOSTEVENTS_CURSOR_KEY)").doesNotContain(bad.substring(bad.indexOf(':') + 1));
        }
    }

    @Test
    void events_offsetPaging_matchesCursorPaging_andSaysTheNextOffset() {
        String host = seedOneHost(12);
        List<String> byCursor = CliRun.in(dir, "events", "--host", host, "--limit", "100", "--format", "json").jsonAll("id");

        CliRun.Result page2 = CliRun.in(dir, "events", "--host", host, "--limit", "5", "--offset", "5", "--format", "json");
        assertThat(page2.jsonAll("id")).isEqualTo(byCursor.subList(5, 10));
        assertThat(page2.json("next_offset")).isEqualTo("10");

        CliRun.Result last = CliRun.in(dir, "events", "--host", host, "--limit", "5", "--offset", "10");
        assertThat(last.outLines()).hasSize(4).last().isEqualTo("next offset: (none)");
    }

    @Test
    void events_ofAnUnknownHost_isAnEmptyPage() {
        CliRun.Result r = CliRun.in(dir, "events", "--host", "host_000000000000");

        assertThat(r.exitCode()).isZero();
        assertThat(r.outLines()).containsExactly("ID  CREATED_AT  SLUG  SHORT_CODE  TITLE", "(no events)", "next cursor: (none)");
        assertThat(CliRun.in(dir, KEY, "events", "--host", "host_000000000000", "--format", "json").out())
                .isEqualTo("{\"events\":[],\"next_cursor\":null}\n");
        assertThat(CliRun.in(dir, "events", "--host", "host_000000000000", "--format", "json").out())
                .isEqualTo("{\"events\":[],\"next_offset\":null}\n");
    }

    @Test
    void explain_printsSqlitesPlan_thenTheVerdict() {
        String host = seedOneHost(30);

        CliRun.Result r = CliRun.in(dir, "explain", "--host", host, "--limit", "10", "--offset", "10");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("idx_host_event_created").doesNotContain("TEMP B-TREE");
        assertThat(r.outLines()).last().isEqualTo("index idx_host_event_created, no sort");
    }

    @Test
    void explain_withoutTheCompositeIndex_saysWhatIsWrong_andExitsOne() {
        String host = seedOneHost(5);
        CliRun.in(dir, "downgrade", "-1");

        CliRun.Result r = CliRun.in(dir, "explain", "--host", host);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.outLines()).last().asString().startsWith("NOT using index idx_host_event_created");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void commandsThatNeedTheSchema_sayToUpgradeFirst() throws Exception {
        Path empty = dir.resolve("empty");
        Files.createFile(dir.resolve("empty.db"));
        CliRun.Result r = CliRun.in(dir, "events", "--host", "host_000000000000", "--url",
                "jdbc:sqlite:" + empty.toAbsolutePath() + ".db");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("error: the database has no hostevents schema yet; run 'hostevents upgrade' first");
    }

    /** What another application may have written: a window-title sequence, a screen clear, a bidi override. */
    static final String HOSTILE_TITLE = "\u001b]0;owned-title\u0007\u001b[2J \u202eevil\u202c \u0085\u009b31m\u007f\u2066x\u2069";
    static final String HOSTILE_HOST = "host_hostileterm1";

    @Test
    void events_table_showsControlAndBidiCharactersOfRowsWrittenElsewhere_escaped() throws Exception {
        insertHostileRow();

        CliRun.Result r = CliRun.in(dir, "events", "--host", HOSTILE_HOST);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(terminalActive(r.out())).as("nothing a terminal would act on reaches it: %s", r.out()).isEmpty();
        // NEL (U+0085) is a line break: the table folds line breaks in a title into one space, as before.
        assertThat(r.out()).contains("\\u001b]0;owned-title\\u0007\\u001b[2J \\u202eevil\\u202c \\u009b31m\\u007f\\u2066x\\u2069")
                .contains("slug\\u001b[8m-x").contains("SC\\u0007\\u001b");
    }

    @Test
    void events_json_staysValidJson_andCarriesTheExactTitle_withNothingRawForTheTerminal() throws Exception {
        insertHostileRow();

        CliRun.Result r = CliRun.in(dir, "events", "--host", HOSTILE_HOST, "--format", "json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(terminalActive(r.out().strip())).as(r.out()).isEmpty();
        assertThat(jsonStrings(r.out())).contains(HOSTILE_TITLE, "slug\u001b[8m-x", "SC\u0007\u001b");
    }

    @Test
    void errorLine_quotingARevisionWrittenElsewhere_escapesItsControlCharacters() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hostevents.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE alembic_version SET version_num = 'x' || char(27) || '[2Jy'");
        }

        CliRun.Result r = CliRun.in(dir, "current");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().contains("x\\u001b[2Jy");
        assertThat(terminalActive(r.err().strip())).isEmpty();
    }

    @Test
    void historyVerbose_showsLogRowsWrittenElsewhere_escaped() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hostevents.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE hostevents_migration_log SET applied_by = 'me' || char(27) || ']0;t' || char(7),"
                    + " note = char(8238) || 'note'");
        }

        CliRun.Result r = CliRun.in(dir, "history", "--verbose");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(terminalActive(r.out())).as(r.out()).isEmpty();
        assertThat(r.out()).contains("by me\\u001b]0;t\\u0007").contains("(\\u202enote)");
    }

    private void insertHostileRow() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hostevents.db"));
                PreparedStatement p = c.prepareStatement("INSERT INTO events (title, slug, description, short_code, host_code,"
                        + " created_at, is_active) VALUES (?, ?, ?, ?, ?, '2025-01-01 00:00:00.000000', 1)")) {
            p.setString(1, HOSTILE_TITLE);
            p.setString(2, "slug\u001b[8m-x");
            p.setString(3, "desc\u001b[2J");
            p.setString(4, "SC\u0007\u001b");
            p.setString(5, HOSTILE_HOST);
            p.executeUpdate();
        }
    }

    /**
     * The characters in the text a terminal would act on (line feeds, which separate output lines, aside):
     * C0, DEL, C1, the line and paragraph separators and the bidi controls.
     */
    static List<String> terminalActive(String text) {
        List<String> found = new ArrayList<>();
        text.chars().filter(ch -> ch != '\n' && (ch < 0x20 || (ch >= 0x7f && ch <= 0x9f) || ch == 0x2028 || ch == 0x2029
                        || (ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069) || ch == 0x200e || ch == 0x200f))
                .forEach(ch -> found.add(String.format("U+%04X", ch)));
        return found;
    }

    /** Every string value of a JSON text, read by a strict parser (which fails on anything that is not JSON). */
    static List<String> jsonStrings(String json) throws Exception {
        List<String> values = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.VALUE_STRING) {
                    values.add(p.getText());
                }
            }
        }
        return values;
    }

    private String seedOneHost(int events) {
        CliRun.Result r = CliRun.in(dir, "seed", "--hosts", "1", "--events-per-host", Integer.toString(events),
                "--print-host-codes", "--batch-size", "7");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.outLines().get(1);
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> times(Path folder) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("hostevents.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT created_at FROM events ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
