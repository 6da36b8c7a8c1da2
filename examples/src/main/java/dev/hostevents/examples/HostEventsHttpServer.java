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
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The original endpoint over the JDK's own HTTP server, in two forms that answer alike:
 * {@code GET /api/v1/events/host/{host_code}?limit=10&offset=0} (the original's, code in the path) and
 * {@code GET /api/v1/events?limit=10&offset=0} with {@code Authorization: Bearer <host_code>} (code
 * out of the URL, so out of access logs and browser history). {@code &cursor=<c>} instead of
 * {@code offset} pages by keyset.
 *
 * <ul>
 *   <li>200: {@code {"events":[...],"limit":10,"offset":0,"next_offset":10,"next_cursor":"..."}}. An
 *       offset page has {@code next_offset}; the first page (offset 0) and a cursor page also have
 *       {@code next_cursor}; either is {@code null} on the last page. Events are newest first and do
 *       not repeat the host code.</li>
 *   <li>A host with no events and a host code nobody uses get the same answer, byte for byte: the API
 *       does not tell which host codes exist.</li>
 *   <li>400 with {@code {"error":"..."}} on bad input (malformed host code, limit, offset,
 *       {@code Authorization} header, a cursor that was altered, belongs to another host or points
 *       outside the stored range); the message never repeats the input. 401 when the header form
 *       has no {@code Authorization} header.</li>
 *   <li>{@code HEAD} answers as {@code GET} without the body. 404 for any other path, 405 for any
 *       other method, 500 {@code {"error":"internal error"}} when the database fails (details stay in
 *       the server).</li>
 * </ul>
 *
 * <p><b>Slow clients.</b> The JDK server reads a request's head on a worker thread, so a client that
 * sends a byte and stalls holds a worker. This example gives a request 5 s to arrive
 * ({@code sun.net.httpserver.maxReqTime}) and a response 30 s to be taken
 * ({@code sun.net.httpserver.maxRspTime}), after which the connection is closed, and runs up to
 * {@value #MAX_WORKERS} workers, so slow clients below that number never delay the others; past it,
 * new requests are refused (connection closed) until deadlines free workers. Idle keep-alive
 * connections hold no worker. {@code TCP_NODELAY} is on ({@code sun.net.httpserver.nodelay}): without
 * it, Nagle's algorithm against the client's delayed ACK holds every keep-alive request ~45 ms
 * (~22 requests per second per connection). These are JVM-wide settings the JDK reads once, when the first server is created; this
 * class sets each one that is not already set, before its first server. A value given with
 * {@code -D} wins.
 *
 * <p><b>Secrets.</b> Responses carry {@code Cache-Control: no-store}. The JDK server logs request
 * lines (with the path form's host code) at {@code FINE} on logger {@code com.sun.net.httpserver}; the
 * example raises that logger to {@code INFO} when it creates a server.
 *
 * <p><b>Cursor key.</b> The store is built with {@link EventStore#create}, so it signs cursors with
 * {@code HOSTEVENTS_CURSOR_KEY} (or {@code -Dhostevents.cursor-key}); without one, with a random key
 * that a restart or another instance does not accept. Run it:
 * <pre>{@code
 * HOSTEVENTS_CURSOR_KEY="base64:$(openssl rand -base64 32)" mvn -B -q -pl examples -am package -DskipTests -Dexample=HostEventsHttpServer
 * }</pre>
 */
public final class HostEventsHttpServer implements AutoCloseable {
    /** The path form's prefix; the host code follows it. */
    public static final String PREFIX = "/api/v1/events/host/";
    /** The header form's path; the host code comes in {@code Authorization: Bearer <host_code>}. */
    public static final String HEADER_FORM_PATH = "/api/v1/events";
    /** Most requests served (or being read) at once; one worker thread each. */
    public static final int MAX_WORKERS = 200;
    /** Seconds a request may take to arrive, head and body, before its connection is closed. */
    public static final int REQUEST_DEADLINE_SECONDS = 5;
    /** Seconds a response may take to be written to the client before its connection is closed. */
    public static final int RESPONSE_DEADLINE_SECONDS = 30;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    /** Held so the level set on it stays: java.util.logging keeps loggers only weakly. */
    private static final Logger JDK_SERVER_LOG = Logger.getLogger("com.sun.net.httpserver");

    static {
        // Read once by the JDK, when its first server is created: set before any is.
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        setIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_DEADLINE_SECONDS));
        setIfAbsent("sun.net.httpserver.maxRspTime", Integer.toString(RESPONSE_DEADLINE_SECONDS));
        // The JDK's defaults, made explicit: an idle keep-alive connection lives 30 s and holds no worker.
        setIfAbsent("sun.net.httpserver.idleInterval", "30");
        setIfAbsent("sun.net.httpserver.maxIdleConnections", "200");
    }

    private final EventStore store;
    private final HttpServer server;

    private HostEventsHttpServer(EventStore store, InetSocketAddress address) throws IOException {
        this.store = store;
        this.server = configuredHttpServer(address);
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

    /**
     * A JDK server bound to {@code address}, not started, configured as this example runs: deadlines,
     * {@code TCP_NODELAY}, up to {@value #MAX_WORKERS} daemon worker threads, the JDK's request logging
     * kept from printing host codes. For a handler of your own next to the example's (the benchmark's
     * baseline uses it); stopping it does not stop its workers' pool, which lets idle threads end
     * after 30 s.
     *
     * @throws IOException when the address cannot be bound
     */
    public static HttpServer configuredHttpServer(InetSocketAddress address) throws IOException {
        Level level = JDK_SERVER_LOG.getLevel();
        if (level == null || level.intValue() < Level.INFO.intValue()) {
            // FINE prints every request line, path (and host code) included.
            JDK_SERVER_LOG.setLevel(Level.INFO);
        }
        HttpServer server = HttpServer.create(address, 0);
        server.setExecutor(workers());
        return server;
    }

    /**
     * Workers made on demand up to {@link #MAX_WORKERS}, none queued: a request either gets a thread
     * at once or, past the bound, its connection is closed (a queue would only hide the wait).
     */
    private static ExecutorService workers() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, MAX_WORKERS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "hostevents-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops the server and its threads. */
    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    /**
     * Serves a SQLite file on 127.0.0.1, after migrating it to head. A database without events gets a
     * demo host with 12 events whose code is printed once, so there is something to ask for; one that
     * has events is served as it is.
     *
     * @param args optional: the SQLite file (default {@code hostevents.db} in the current folder), the port (default 8080)
     */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "hostevents.db");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
        try {
            serveFile(file, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), System.out);
        } catch (ValidationException e) {
            // A malformed HOSTEVENTS_CURSOR_KEY, say: one line, no stack trace, never the value.
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    /** What {@link #main} does, with the address and the output of the caller's choosing. */
    static HostEventsHttpServer serveFile(Path file, InetSocketAddress address, PrintStream out) throws IOException {
        DataSource dataSource = SqliteDataSources.file(file);
        Migrator.create(dataSource).upgrade("head");
        // Cursor key: HOSTEVENTS_CURSOR_KEY or -Dhostevents.cursor-key; without one, a random key and a WARN.
        EventStore store = EventStore.create(dataSource);
        String demoHost = null;
        if (!hasEvents(dataSource)) {
            for (int i = 1; i <= 12; i++) {
                NewEvent e = NewEvent.titled("Demo event " + i);
                demoHost = store.create(demoHost == null ? e : e.withHostCode(demoHost)).hostCode();
            }
        }
        HostEventsHttpServer server = start(store, address);
        String origin = "http://127.0.0.1:" + server.port();
        out.println("Serving " + file.toAbsolutePath() + " on " + origin + PREFIX + "{host_code} and " + origin + HEADER_FORM_PATH
                + " (Authorization: Bearer {host_code})");
        if (demoHost != null) {
            out.println("Demo host created with 12 events (its code is a credential, printed this once):");
            out.println("  curl -H 'Authorization: Bearer " + demoHost + "' '" + origin + HEADER_FORM_PATH + "?limit=5&offset=0'");
            out.println("  curl '" + origin + PREFIX + demoHost + "?limit=5&offset=5'");
        } else {
            out.println("The database has events already, so no demo host was made; ask for a host code you know.");
        }
        out.println("Ctrl-C stops the server.");
        return server;
    }

    private static boolean hasEvents(DataSource dataSource) throws IOException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 FROM events LIMIT 1")) {
            return rs.next();
        } catch (SQLException e) {
            throw new IOException("cannot read the events table", e);
        }
    }

    // ------------------------------------------------------------------ the endpoint

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean pathForm = path.startsWith(PREFIX) && path.length() > PREFIX.length() && path.indexOf('/', PREFIX.length()) < 0;
            boolean headerForm = path.equals(HEADER_FORM_PATH);
            if (!pathForm && !headerForm) {
                send(exchange, 404, error("not found"));
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, error("method not allowed"));
                return;
            }
            try {
                String hostCode = pathForm ? path.substring(PREFIX.length()) : bearer(exchange);
                if (hostCode == null) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                    send(exchange, 401, error("authorization header is required: 'Bearer <host code>'"));
                    return;
                }
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

    /** The host code of {@code Authorization: Bearer <code>}; {@code null} when there is no such header. */
    private static String bearer(HttpExchange exchange) {
        List<String> values = exchange.getRequestHeaders().get("Authorization");
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new ValidationException("authorization", "header must be given once");
        }
        String value = values.get(0).strip();
        int space = value.indexOf(' ');
        // The scheme is case-insensitive (RFC 9110); the code is checked by the store like the path's.
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            throw new ValidationException("authorization", "header must be 'Bearer <host code>'");
        }
        return value.substring(space + 1).strip();
    }

    private String page(String hostCode, Map<String, String> query) {
        int limit = integer(query, "limit", 10, 1, EventStore.MAX_LIMIT);
        String cursor = query.get("cursor");
        if (cursor != null && query.containsKey("offset")) {
            throw new ValidationException("offset", "cannot be combined with cursor");
        }
        if (cursor != null) {
            Page page = store.findByHost(hostCode, PageRequest.after(cursor, limit));
            return body(page.events(), limit, null, null, page.nextCursor().orElse(null), true);
        }
        int offset = integer(query, "offset", 0, 0, EventStore.MAX_OFFSET);
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

    /** A query parameter in {@code min..max}; one that is no integer at all is told the same range. */
    private static int integer(Map<String, String> query, String name, int absent, int min, int max) {
        String value = query.get(name);
        if (value == null) {
            return absent;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            // Also what 99999999999999999999 gets: it is no int, and the range says what is.
            throw new ValidationException(name, "must be an integer between " + min + " and " + max);
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
        if (exchange.getRequestMethod().equals("HEAD")) {
            // GET's headers without its body; the JDK wants -1 here and warns about a length.
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
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

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
