package dev.hostevents.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.testing.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server as {@code main} runs it: on a SQLite file, started again on the same file, in JVMs of its own. */
class HostEventsHttpServerMainTest {
    private static final Pattern PORT = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Pattern BEARER = Pattern.compile("Bearer (host_[a-z0-9]{12})");

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void startingTwiceOnTheSameFile_makesOneDemoHost_andSaysSoTheSecondTime() throws Exception {
        Path file = dir.resolve("hostevents.db");
        String first = serveOnceAndStop(file);
        String second = serveOnceAndStop(file);

        assertThat(first).contains("Demo host created with 12 events").containsPattern(BEARER);
        assertThat(second).doesNotContain("Demo host").doesNotContainPattern("host_[a-z0-9]{12}")
                .contains("The database has events already, so no demo host was made");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(DISTINCT host_code), count(*) FROM events")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getInt(2)).isEqualTo(12);
        }
    }

    @Test
    void aCursor_survivesARestart_withHosteventsCursorKey_andIsRefusedWith400_byARestartWithoutIt() throws Exception {
        Path file = dir.resolve("restart.db");
        Map<String, String> key = Map.of("HOSTEVENTS_CURSOR_KEY", "base64:" + java.util.Base64.getEncoder().encodeToString(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}));
        String host;
        String cursor;
        try (ChildJvm first = ChildJvm.start(HostEventsHttpServer.class, key, file.toString(), "0")) {
            int port = port(first.await("Serving ", 60));
            host = match(BEARER, first.await("  curl -H 'Authorization: Bearer ", 10));
            cursor = field(get(port, host, "?limit=5").body(), "next_cursor");
        }
        String query = "?limit=5&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);

        try (ChildJvm again = ChildJvm.start(HostEventsHttpServer.class, key, file.toString(), "0")) {
            HttpResponse<String> r = get(port(again.await("Serving ", 60)), host, query);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"title\":\"Demo event 7\"");
        }
        try (ChildJvm keyless = ChildJvm.start(HostEventsHttpServer.class, Map.of(), file.toString(), "0")) {
            HttpResponse<String> r = get(port(keyless.await("Serving ", 60)), host, query);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("start again from the first page");
            assertThat(keyless.output()).as("the one WARN of a JVM without a key").contains("No cursor key configured").doesNotContain(host);
        }
    }

    @Test
    void aMalformedCursorKey_stopsTheServerWithOneLine_neverTheValue() throws Exception {
        try (ChildJvm bad = ChildJvm.start(HostEventsHttpServer.class, Map.of("HOSTEVENTS_CURSOR_KEY", "short-secret"),
                dir.resolve("bad.db").toString(), "0")) {
            assertThat(bad.exitCode(60)).isEqualTo(1);
            assertThat(bad.output()).startsWith("error: cursor key must be at least 16 bytes")
                    .contains("environment variable HOSTEVENTS_CURSOR_KEY").doesNotContain("short-secret");
        }
    }

    private static String serveOnceAndStop(Path file) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
                HostEventsHttpServer server = HostEventsHttpServer.serveFile(file, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), out)) {
            assertThat(server.port()).isPositive();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> get(int port, String host, String query) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + HostEventsHttpServer.HEADER_FORM_PATH + query))
                .header("Authorization", "Bearer " + host).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int port(String servingLine) {
        return Integer.parseInt(match(PORT, servingLine));
    }

    private static String match(Pattern p, String line) {
        Matcher m = p.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return m.group(1);
    }

    private static String field(String body, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }
}
