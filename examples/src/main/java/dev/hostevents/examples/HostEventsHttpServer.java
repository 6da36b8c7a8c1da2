package dev.hostevents.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.Page;
import dev.hostevents.PageRequest;
import dev.hostevents.ValidationException;
import dev.hostevents.dialect.sqlite.SqliteDataSources;
import dev.hostevents.migration.Migrator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;

/**
 * The original endpoint over the JDK's own HTTP server:
 * {@code GET /api/v1/events/host/{host_code}?limit=10&offset=0}, or {@code ?limit=10&cursor=<c>}.
 *
 * <ul>
 *   <li>200: {@code {"events":[...],"limit":10,"offset":0,"next_offset":10,"next_cursor":"..."}}. An
 *       offset page has {@code next_offset}; the first page (offset 0) and a cursor page also have
 *       {@code next_cursor}; either is {@code null} on the last page. Events are newest first and do
 *       not repeat the host code.</li>
 *   <li>A host with no events and a host code nobody uses get the same answer, byte for byte: the API
 *       does not tell which host codes exist.</li>
 *   <li>400 with {@code {"error":"..."}} on bad input (malformed host code, limit, offset, a cursor
 *       that was altered or belongs to another host); the message never repeats the input.</li>
 *   <li>404 for any other path, 405 for any other method, 500 {@code {"error":"internal error"}} when
 *       the database fails (details stay in the server).</li>
 * </ul>
 *
 * <p>Responses carry {@code Cache-Control: no-store}: the URL holds a credential. Run it:
 * <pre>{@code
 * mvn -B -q -pl examples -am package -DskipTests -Dexample=HostEventsHttpServer
 * }</pre>
 */
public final class HostEventsHttpServer implements AutoCloseable {
    /** The path prefix; the host code follows it. */
    public static final String PREFIX = "/api/v1/events/host/";
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final EventStore store;
    private final HttpServer server;
    private final ExecutorService executor;

    private HostEventsHttpServer(EventStore store, InetSocketAddress address) throws IOException {
        this.store = store;
        this.server = HttpServer.create(address, 0);
        this.executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Starts serving {@code store} on {@code address} (port 0 picks a free port).
     *
     * @throws IOException when the address cannot be bound
     */
    public static HostEventsHttpServer start(EventStore store, InetSocketAddress address) throws IOException {
        HostEventsHttpServer s = new HostEventsHttpServer(store, address);
        s.server.start();
        return s;
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops the server and its threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * Serves a SQLite file on 127.0.0.1, after migrating it to head and creating a demo host with a
     * few events whose code is printed once, so there is something to ask for.
     *
     * @param args optional: the SQLite file (default {@code hostevents.db} in the current folder), the port (default 8080)
     */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "hostevents.db");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
        DataSource dataSource = SqliteDataSources.file(file);
        Migrator.create(dataSource).upgrade("head");
        EventStore store = EventStore.create(dataSource);
        String demoHost = null;
        for (int i = 1; i <= 12; i++) {
            NewEvent e = NewEvent.titled("Demo event " + i);
            demoHost = store.create(demoHost == null ? e : e.withHostCode(demoHost)).hostCode();
        }
        HostEventsHttpServer server = start(store, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        String base = "http://127.0.0.1:" + server.port() + PREFIX + demoHost;
        System.out.println("Serving " + file.toAbsolutePath() + " on http://127.0.0.1:" + server.port() + PREFIX + "{host_code}");
        System.out.println("Demo host created with 12 events (its code is a credential, printed this once):");
        System.out.println("  curl '" + base + "?limit=5&offset=0'");
        System.out.println("  curl '" + base + "?limit=5&offset=5'");
        System.out.println("Ctrl-C stops the server.");
    }

    // ------------------------------------------------------------------ the endpoint

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.startsWith(PREFIX) || path.length() == PREFIX.length() || path.indexOf('/', PREFIX.length()) >= 0) {
                send(exchange, 404, error("not found"));
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, error("method not allowed"));
                return;
            }
            String hostCode = path.substring(PREFIX.length());
            try {
                send(exchange, 200, page(hostCode, query(exchange.getRequestURI().getRawQuery())));
            } catch (ValidationException e) {
                // The library's messages name the field and the rule, never the value.
                send(exchange, 400, error(e.getMessage()));
            } catch (RuntimeException e) {
                // DatabaseAccessException and the like: the details stay in the server.
                send(exchange, 500, error("internal error"));
            }
        }
    }

    private String page(String hostCode, Map<String, String> query) {
        int limit = integer(query, "limit", 10);
        String cursor = query.get("cursor");
        if (cursor != null && query.containsKey("offset")) {
            throw new ValidationException("offset", "cannot be combined with cursor");
        }
        if (cursor != null) {
            Page page = store.findByHost(hostCode, PageRequest.after(cursor, limit));
            return body(page.events(), limit, null, null, page.nextCursor().orElse(null), true);
        }
        int offset = integer(query, "offset", 0);
        if (offset == 0) {
            // The first page is the same by offset and by keyset: answer it by keyset, so it also has a cursor.
            Page page = store.findByHost(hostCode, PageRequest.first(limit));
            Integer next = page.hasNext() ? limit : null;
            return body(page.events(), limit, 0, next, page.nextCursor().orElse(null), true);
        }
        List<Event> events = store.findByHost(hostCode, limit, offset);
        return body(events, limit, offset, events.size() == limit ? offset + limit : null, null, false);
    }

    private static String body(List<Event> events, int limit, Integer offset, Integer nextOffset, String nextCursor,
            boolean withCursor) {
        StringBuilder b = new StringBuilder("{\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            b.append(i == 0 ? "" : ",")
                    .append("{\"id\":").append(e.id())
                    .append(",\"title\":").append(json(e.title()))
                    .append(",\"slug\":").append(json(e.slug()))
                    .append(",\"description\":").append(json(e.description()))
                    .append(",\"short_code\":").append(json(e.shortCode()))
                    .append(",\"created_at\":").append(json(TIMESTAMP.format(e.createdAt())))
                    .append(",\"is_active\":").append(e.active())
                    .append('}');
        }
        b.append("],\"limit\":").append(limit);
        if (offset != null) {
            b.append(",\"offset\":").append(offset).append(",\"next_offset\":").append(nextOffset);
        }
        if (withCursor) {
            b.append(",\"next_cursor\":").append(json(nextCursor));
        }
        return b.append('}').toString();
    }

    private static int integer(Map<String, String> query, String name, int absent) {
        String value = query.get(name);
        if (value == null) {
            return absent;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new ValidationException(name, "must be an integer");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (out.putIfAbsent(key, value) != null) {
                // The parameter's name is not repeated: it is input too.
                throw new ValidationException("query", "parameters must each be given once");
            }
        }
        return out;
    }

    private static String error(String message) {
        return "{\"error\":" + json(message) + "}";
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** A JSON string literal (RFC 8259 escaping), or {@code null}. */
    static String json(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
