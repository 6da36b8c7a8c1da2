package dev.hostevents.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.examples.HostEventsHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP example under keep-alive load from a real client ({@link HttpClient}, HTTP/1.1, a few
 * connections each sending its next request as soon as the last answer is read), against a minimal
 * handler on a second JDK server set up the same way ({@link HostEventsHttpServer#configuredHttpServer})
 * that parses the path and runs hand-written JDBC. Slices of the one and the other alternate (ABBA),
 * as every comparison of the report does; each side's value is the median wall time per request.
 */
final class HttpLoad {
    /** Client connections, as in the issue's {@code wrk -c 4}. */
    static final int CONNECTIONS = 4;
    /** Clients that stall the server in the second row, as in the "50 slow sockets". */
    static final int SLOW_SOCKETS = 50;
    private static final int LIMIT = DataSpec.PAGE_SIZE;
    private static final Pattern ID = Pattern.compile("\\{\"id\":(\\d+),");

    private HttpLoad() {
    }

    /**
     * Two rows: µs per request of the example / of the minimal handler, both at {@link #CONNECTIONS}
     * connections; and µs per request of the example while {@link #SLOW_SOCKETS} clients stall it /
     * of a second one that nobody stalls.
     */
    static List<ResultRow> measure(Fixture f, String database, Interleaved.Budget budget, java.io.PrintStream out) throws Exception {
        int size = f.spec().hostSizes().contains(1_000) ? 1_000 : f.spec().largestHost();
        String host = f.data().hostWith(size);
        HikariConfig config = new HikariConfig();
        config.setDataSource(f.withIndex());
        config.setPoolName("hostevents-bench-http");
        config.setMaximumPoolSize(8);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS, r -> {
            Thread t = new Thread(r, "bench-http-client");
            t.setDaemon(true);
            return t;
        });
        Queue<Connection> connections = new ConcurrentLinkedQueue<>();
        try (HikariDataSource pool = new HikariDataSource(config)) {
            EventStore store = EventStore.builder(pool).cursorKey(key).build();
            String sql = store.diagnostics().pageQuerySql();
            ThreadLocal<HandWrittenPageQuery> perWorker = ThreadLocal.withInitial(() -> {
                try {
                    Connection c = f.withIndex().getConnection();
                    connections.add(c);
                    return new HandWrittenPageQuery(c, sql, f.database());
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            HttpServer minimal = HostEventsHttpServer.configuredHttpServer(loopback);
            minimal.createContext("/", exchange -> minimalHandler(exchange, perWorker.get()));
            minimal.start();
            try (HostEventsHttpServer example = HostEventsHttpServer.start(store, loopback)) {
                String path = HostEventsHttpServer.PREFIX + host + "?limit=" + LIMIT + "&offset=0";
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                HttpRequest a = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + example.port() + path)).build();
                HttpRequest b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + minimal.getAddress().getPort() + path)).build();
                List<Long> idsA = ids(client.send(a, HttpResponse.BodyHandlers.ofString()).body());
                List<Long> idsB = ids(client.send(b, HttpResponse.BodyHandlers.ofString()).body());
                if (idsA.size() != LIMIT || !idsA.equals(idsB)) {
                    throw new IllegalStateException("the example and the minimal handler returned different events: the comparison would be unfair");
                }
                out.println("   http_vs_minimal_handler …");
                long slice = Math.max(40, budget.batchMillis() * 40);
                int rounds = Math.max(4, budget.rounds() / 3);
                // Warm-up: both servers, all connections open, the JIT past the first compiles.
                long warmEnd = System.nanoTime() + budget.warmupMillis() * 2_000_000L;
                while (System.nanoTime() < warmEnd) {
                    requestsPerSecond(clients, client, a, slice / 2);
                    requestsPerSecond(clients, client, b, slice / 2);
                }
                List<Double> usA = new ArrayList<>();
                List<Double> usB = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    boolean aFirst = round % 2 == 0;
                    for (int k = 0; k < 2; k++) {
                        boolean aNow = aFirst == (k == 0);
                        double rps = requestsPerSecond(clients, client, aNow ? a : b, slice);
                        (aNow ? usA : usB).add(1e6 / rps);
                    }
                }
                double[] ratios = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    ratios[i] = usA.get(i) / usB.get(i);
                }
                Arrays.sort(ratios);
                double value = Interleaved.median(usA);
                double baseline = Interleaved.median(usB);
                String nodelay = Boolean.getBoolean("sun.net.httpserver.nodelay") ? "on" : "off";
                ResultRow row = new ResultRow("http_vs_minimal_handler", database,
                        "connections=" + CONNECTIONS + " keep-alive events_per_host=" + size + " limit=" + LIMIT + " offset=0 nodelay=" + nodelay,
                        value, baseline, value / baseline, "none (informational)", null, "us",
                        String.format("%,.0f req/s against %,.0f req/s; %s–%s over %d slices of %d ms", 1e6 / value, 1e6 / baseline,
                                Report.fmtRatio(Interleaved.percentile(ratios, 0.25)), Report.fmtRatio(Interleaved.percentile(ratios, 0.75)),
                                rounds, slice),
                        "wall µs per request, " + CONNECTIONS + " keep-alive connections of java.net.http.HttpClient: HostEventsHttpServer"
                                + " (path form, EventStore on a HikariCP pool of 8) / a minimal handler on a JDK server set up the same way"
                                + " (deadlines, TCP_NODELAY, workers) running hand-written JDBC (one reused PreparedStatement per worker)");
                out.printf("     %.1f µs / %.1f µs = %s (%s)%n", value, baseline, Report.fmtRatio(value / baseline), row.spread());
                return List.of(row, slowClients(store, host, client, database, budget, out));
            } finally {
                minimal.stop(0);
                ((ExecutorService) minimal.getExecutor()).shutdownNow();
            }
        } finally {
            clients.shutdownNow();
            for (Connection c : connections) {
                c.close(); // and its statement with it
            }
        }
    }

    /**
     * One keep-alive client's requests to an example server that {@link #SLOW_SOCKETS} sockets keep
     * stalled (each sends one byte of a request head and waits; when the server's deadline closes
     * it, it connects again), interleaved with the same requests to a second example server on the
     * same store that nobody stalls. Then the worst of 200 requests to the stalled one.
     */
    private static ResultRow slowClients(EventStore store, String host, HttpClient client, String database,
            Interleaved.Budget budget, java.io.PrintStream out) throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        String path = HostEventsHttpServer.PREFIX + host + "?limit=" + LIMIT + "&offset=0";
        try (HostEventsHttpServer stalled = HostEventsHttpServer.start(store, loopback);
                HostEventsHttpServer clean = HostEventsHttpServer.start(store, loopback);
                SlowSockets slow = new SlowSockets(stalled.port(), SLOW_SOCKETS)) {
            HttpRequest a = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stalled.port() + path)).build();
            HttpRequest b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clean.port() + path)).build();
            slow.awaitAllStalled();
            out.println("   http_slow_clients …");
            Interleaved.Comparison c = Interleaved.compare(() -> status(client.send(a, HttpResponse.BodyHandlers.ofByteArray())),
                    () -> status(client.send(b, HttpResponse.BodyHandlers.ofByteArray())), budget);
            double[] each = new double[200];
            for (int i = 0; i < each.length; i++) {
                long t0 = System.nanoTime();
                status(client.send(a, HttpResponse.BodyHandlers.ofByteArray()));
                each[i] = (System.nanoTime() - t0) / 1e3;
            }
            Arrays.sort(each);
            ResultRow row = new ResultRow("http_slow_clients", database,
                    "slow_sockets=" + SLOW_SOCKETS + " connections=1 keep-alive events_per_host=1000 limit=" + LIMIT,
                    c.valueUs(), c.baselineUs(), c.ratio(), "worst of 200 < 100 ms (issue: answered within 100 ms)", each[each.length - 1] < 100_000, "us",
                    String.format("%s–%s over %d rounds; of 200 requests while stalled: p99 %.1f ms, worst %.1f ms; %d sockets re-stalled",
                            Report.fmtRatio(c.ratioP25()), Report.fmtRatio(c.ratioP75()), c.rounds(),
                            Interleaved.percentile(each, 0.99) / 1e3, each[each.length - 1] / 1e3, slow.reconnects()),
                    "µs per request of one keep-alive client: HostEventsHttpServer while " + SLOW_SOCKETS
                            + " sockets each hold a request head after its first byte / a second HostEventsHttpServer on the same store,"
                            + " not stalled; met = the worst of 200 stalled-server requests under 100 ms");
            out.printf("     %.1f µs / %.1f µs = %s (%s)%n", c.valueUs(), c.baselineUs(), Report.fmtRatio(c.ratio()), row.spread());
            return row;
        }
    }

    private static long status(HttpResponse<byte[]> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode());
        }
        return r.body().length;
    }

    /** Sockets that each send one byte of a request head and then nothing, reconnecting when the server closes them. */
    private static final class SlowSockets implements AutoCloseable {
        private final List<Thread> threads = new ArrayList<>();
        private final Queue<Socket> open = new ConcurrentLinkedQueue<>();
        private final CountDownLatch stalled;
        private final java.util.concurrent.atomic.AtomicInteger reconnects = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean closing;

        SlowSockets(int port, int count) {
            stalled = new CountDownLatch(count);
            for (int i = 0; i < count; i++) {
                Thread t = new Thread(() -> stall(port), "bench-slow-socket");
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        private void stall(int port) {
            boolean first = true;
            while (!closing) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    open.add(s);
                    s.getOutputStream().write('G');
                    s.getOutputStream().flush();
                    if (first) {
                        stalled.countDown();
                        first = false;
                    } else {
                        reconnects.incrementAndGet();
                    }
                    while (s.getInputStream().read() >= 0) {
                        // The server only ever closes it.
                    }
                    open.remove(s);
                } catch (IOException e) {
                    // Closed by the server (reset) or by close(): connect again unless closing.
                }
            }
        }

        void awaitAllStalled() throws InterruptedException {
            stalled.await();
            Thread.sleep(200); // the server has handed each to a worker that now waits on it
        }

        int reconnects() {
            return reconnects.get();
        }

        @Override
        public void close() throws Exception {
            closing = true;
            for (Socket s : open) {
                s.close();
            }
            for (Thread t : threads) {
                t.join(2_000);
            }
        }
    }

    /** Requests per second of {@link #CONNECTIONS} clients sending {@code request} back to back for {@code millis}. */
    private static double requestsPerSecond(ExecutorService clients, HttpClient client, HttpRequest request, long millis)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<Long>> done = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            done.add(clients.submit(() -> {
                start.await();
                long n = 0;
                while (!stop.get()) {
                    HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + r.statusCode());
                    }
                    Interleaved.consume(r.body().length);
                    n++;
                }
                return n;
            }));
        }
        long t0 = System.nanoTime();
        start.countDown();
        Thread.sleep(millis);
        stop.set(true);
        long n = 0;
        for (Future<Long> d : done) {
            n += d.get();
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * The least a handler can do for the same answer: take the host code from the path, run the page
     * query, write the events as JSON. No validation, no cursor, no error handling beyond a 500.
     */
    private static void minimalHandler(HttpExchange exchange, HandWrittenPageQuery query) throws IOException {
        try (exchange) {
            String host = exchange.getRequestURI().getPath().substring(HostEventsHttpServer.PREFIX.length());
            byte[] body;
            int status = 200;
            try {
                StringBuilder b = new StringBuilder("{\"events\":[");
                List<Event> events = query.page(host, LIMIT, 0);
                for (int i = 0; i < events.size(); i++) {
                    Event e = events.get(i);
                    b.append(i == 0 ? "" : ",").append("{\"id\":").append(e.id()).append(",\"title\":\"").append(e.title())
                            .append("\",\"slug\":\"").append(e.slug()).append("\",\"short_code\":\"").append(e.shortCode())
                            .append("\",\"created_at\":\"").append(e.createdAt()).append("\",\"is_active\":").append(e.active()).append('}');
                }
                body = b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            } catch (SQLException e) {
                status = 500;
                body = "{\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        }
    }

    private static List<Long> ids(String body) {
        List<Long> out = new ArrayList<>();
        Matcher m = ID.matcher(body);
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }
}
