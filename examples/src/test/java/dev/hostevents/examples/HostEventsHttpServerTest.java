package dev.hostevents.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.dialect.sqlite.SqliteDataSources;
import dev.hostevents.migration.Migrator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint over real HTTP, on a random loopback port, backed by a SQLite file. */
class HostEventsHttpServerTest {
    @TempDir
    static Path dir;
    static HostEventsHttpServer server;
    static HttpClient client;
    static String host;
    static String otherHost;
    static List<Long> newestFirst = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        DataSource ds = SqliteDataSources.file(dir.resolve("http.db"));
        Migrator.create(ds).upgrade("head");
        EventStore store = EventStore.create(ds);
        List<Event> created = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            NewEvent e = NewEvent.titled("Event \"" + i + "\"");
            created.add(store.create(host == null ? e : e.withHostCode(host)));
            host = created.get(0).hostCode();
        }
        otherHost = store.create(NewEvent.titled("Someone else's")).hostCode();
        for (int i = created.size() - 1; i >= 0; i--) {
            newestFirst.add(created.get(i).id());
        }
        server = HostEventsHttpServer.start(store, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void firstPage_byOffset_isNewestFirst_withNextOffsetAndCursor() throws Exception {
        HttpResponse<String> r = get(host, "?limit=5&offset=0");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(ids(r.body())).isEqualTo(newestFirst.subList(0, 5));
        assertThat(r.body()).contains("\"limit\":5,\"offset\":0,\"next_offset\":5,\"next_cursor\":\"")
                .contains("\"title\":\"Event \\\"12\\\"\"")
                .doesNotContain(host);
    }

    @Test
    void defaults_areLimit10Offset0() throws Exception {
        HttpResponse<String> r = get(host, "");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ids(r.body())).isEqualTo(newestFirst.subList(0, 10));
    }

    @Test
    void offsetPages_andCursorPages_walkTheSameEvents() throws Exception {
        List<Long> byOffset = new ArrayList<>();
        for (int offset = 0; offset < 12; offset += 5) {
            byOffset.addAll(ids(get(host, "?limit=5&offset=" + offset).body()));
        }
        List<Long> byCursor = new ArrayList<>();
        String body = get(host, "?limit=5").body();
        while (true) {
            byCursor.addAll(ids(body));
            String cursor = field(body, "next_cursor");
            if (cursor == null) {
                break;
            }
            body = get(host, "?limit=5&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)).body();
        }

        assertThat(byOffset).isEqualTo(newestFirst);
        assertThat(byCursor).isEqualTo(newestFirst);
        assertThat(get(host, "?limit=5&offset=10").body()).endsWith("\"offset\":10,\"next_offset\":null}");
    }

    @Test
    void anUnknownHost_answersExactlyLikeAHostWithNoEvents() throws Exception {
        HttpResponse<String> a = get("host_000000000000", "?limit=5&offset=0");
        HttpResponse<String> b = get("host_zzzzzzzzzzzz", "?limit=5&offset=0");

        assertThat(a.statusCode()).isEqualTo(200).isEqualTo(b.statusCode());
        assertThat(a.body()).isEqualTo(b.body())
                .isEqualTo("{\"events\":[],\"limit\":5,\"offset\":0,\"next_offset\":null,\"next_cursor\":null}");
        assertThat(a.headers().map()).containsOnlyKeys(b.headers().map().keySet());
    }

    @Test
    void badInput_is400_withAJsonError_thatNeverRepeatsTheInput() throws Exception {
        assertBad(get("HOST_Not-Valid!", ""), "host code must be 'host_' followed by 12 lowercase letters or digits");
        assertBad(get(host, "?limit=abc"), "limit must be an integer");
        assertBad(get(host, "?limit=0"), "limit must be");
        assertBad(get(host, "?limit=101"), "limit must be");
        assertBad(get(host, "?offset=-1"), "offset must be");
        assertBad(get(host, "?offset=" + host), "offset must be an integer");
        assertBad(get(host, "?cursor=not-a-cursor"), "cursor");
        assertBad(get(host, "?cursor=x&offset=0"), "offset cannot be combined with cursor");
        assertBad(get(host, "?limit=1&limit=2"), "parameters must each be given once");
    }

    @Test
    void aCursor_fromAnotherHost_isRefused_andNeverShowsTheOtherHostsEvents() throws Exception {
        String cursor = field(get(host, "?limit=2").body(), "next_cursor");

        HttpResponse<String> r = get(otherHost, "?limit=2&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));

        assertBad(r, "cursor");
        assertThat(r.body()).doesNotContain("Event");
    }

    @Test
    void otherPaths_are404_andOtherMethods_are405() throws Exception {
        HttpResponse<String> notFound = client.send(HttpRequest.newBuilder(base("/api/v1/events")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).isEqualTo("{\"error\":\"not found\"}");
        assertThat(client.send(HttpRequest.newBuilder(base(HostEventsHttpServer.PREFIX + host + "/more")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

        HttpResponse<String> post = client.send(HttpRequest.newBuilder(base(HostEventsHttpServer.PREFIX + host))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        assertThat(post.body()).doesNotContain(host);
    }

    private static void assertBad(HttpResponse<String> r, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(r.body()).startsWith("{\"error\":\"").contains(message)
                .doesNotContain(host).doesNotContain(otherHost).doesNotContainIgnoringCase("not-valid");
    }

    private static HttpResponse<String> get(String hostCode, String query) throws Exception {
        return client.send(HttpRequest.newBuilder(base(HostEventsHttpServer.PREFIX + hostCode + query)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI base(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery.replace("!", "%21"));
    }

    private static List<Long> ids(String body) {
        List<Long> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\{\"id\":(\\d+),").matcher(body);
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }

    private static String field(String body, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(null|\"([^\"]*)\")").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(2);
    }
}
