package dev.hostevents.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import dev.hostevents.DatabaseAccessException;
import dev.hostevents.EventStore;
import dev.hostevents.HostEventsException;
import dev.hostevents.NewEvent;
import dev.hostevents.migration.LogEntry;
import dev.hostevents.migration.MigrationListener;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.Transition;
import dev.hostevents.spi.LiveIndex;
import dev.hostevents.testing.ChildJvm;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults from outside the migrating JVM on both MariaDB servers (11.4, keeps {@code DESC}; 10.2, drops
 * it): a migrator JVM killed with SIGKILL ({@code kill -9}) at each point of a revision, several migrator
 * JVMs at once, and the migration's own connection killed ({@code KILL id}) after its DDL. MySQL has no
 * transactional DDL, so what repairs a half-applied revision is the next run checking the live schema.
 */
class MariaDbProcessFaultTest {
    private static final String INITIAL = "9372cec8298d";
    private static final String COMPOSITE = "c1b85c454f94";
    private static final int ROWS = 2000;
    private static final int HOSTS = 5;
    private static final Pattern PASSWORD = Pattern.compile("(?<=[?&])password=([^&]*)&?");

    static Stream<MariaDbServer> servers() {
        return Stream.of(MariaDbServer.NEW, MariaDbServer.OLD);
    }

    static Stream<Arguments> serversAndKillPoints() {
        return servers().flatMap(s -> Stream.of("beforeDdl", "afterDdl", "afterRevision").map(p -> Arguments.of(s, p)));
    }

    static Stream<Arguments> serversAndProcessCounts() {
        return servers().flatMap(s -> Stream.of(2, 4).map(n -> Arguments.of(s, n)));
    }

    static Stream<Arguments> serversAndRevisions() {
        return servers().flatMap(s -> Stream.of(INITIAL, COMPOSITE).map(r -> Arguments.of(s, r)));
    }

    private static String host(int i) {
        return String.format("host_%012d", i);
    }

    /** A message on one line, for the [reliability] figures. */
    private static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", " / ");
    }

    private static String label(MariaDbServer server) {
        return "MariaDB " + server.server().version() + " (" + server + ")";
    }

    private static void seed(EventStore store, int rows) {
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            batch.add(NewEvent.titled("seeded " + i).withHostCode(host(i % HOSTS)));
            if (batch.size() == 500) {
                store.createAll(batch);
                batch.clear();
            }
        }
        store.createAll(batch);
    }

    /** The rows, as a count and a digest of every row (so a failure never prints a host code). */
    private record Rows(long count, String digest) {
    }

    private static Rows rows(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT CONCAT_WS('|', id, slug, host_code, created_at) FROM events ORDER BY id")) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long n = 0;
            while (rs.next()) {
                md.update(rs.getString(1).getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
                n++;
            }
            return new Rows(n, HexFormat.of().formatHex(md.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long queryLong(DataSource ds, String sql, String... params) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static LiveIndex composite(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return new MySqlDialect().readIndexes(c, "events").stream()
                    .filter(i -> i.name().equals("idx_host_event_created")).findFirst().orElse(null);
        }
    }

    /** Sessions of {@code database} other than the one asking (the test's own are closed when it asks). */
    private static long sessionsIn(DataSource ds, String database) throws SQLException {
        return queryLong(ds, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()", database);
    }

    /** Waits until no other session of {@code database} is left; returns the milliseconds it took. */
    private static long awaitSessionsGone(DataSource ds, String database) throws SQLException, InterruptedException {
        long t0 = System.nanoTime();
        while (sessionsIn(ds, database) > 0) {
            assertThat(System.nanoTime() - t0).as("a session of the killed process is still there").isLessThan(TimeUnit.SECONDS.toNanos(30));
            Thread.sleep(10);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * A migrator JVM on {@code database}: the JDBC URL as an argument, without a password (an external
     * server's, if any, goes through the environment).
     */
    private static ChildJvm child(MariaDbServer server, String database, String... args) throws IOException {
        String url = server.url(database, MariaDbServer.Driver.MARIADB);
        Map<String, String> env = new HashMap<>();
        Matcher m = PASSWORD.matcher(url);
        if (m.find()) {
            env.put("HOSTEVENTS_CHILD_PASSWORD", java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
            url = m.replaceAll("").replaceAll("[?&]$", "");
        }
        List<String> all = new ArrayList<>(List.of(url));
        all.addAll(List.of(args));
        return ChildJvm.start(MariaDbMigratorChild.class, env, all.toArray(String[]::new));
    }

    private static void assertAtHeadWithEachRevisionOnce(Migrator migrator, DataSource ds, Rows before) throws SQLException {
        assertThat(migrator.current()).contains(COMPOSITE);
        assertThat(migrator.verify().drift()).isEmpty();
        assertThat(composite(ds)).as("the composite index").isNotNull();
        assertThat(migrator.log()).extracting(LogEntry::direction, LogEntry::revision).as("each revision applied once")
                .containsExactly(tuple("upgrade", INITIAL), tuple("upgrade", COMPOSITE));
        assertThat(rows(ds)).as("all rows kept").isEqualTo(before);
        // The index gives the same rows as the table.
        assertThat(queryLong(ds, "SELECT COUNT(*) FROM events FORCE INDEX (idx_host_event_created) WHERE host_code = ?", host(1)))
                .isEqualTo(ROWS / HOSTS);
    }

    // ============================================================ kill -9 mid-migration

    @ParameterizedTest(name = "{0}: SIGKILL at {1}")
    @MethodSource("serversAndKillPoints")
    void aMigratorJvmKilledWithSigkill_isRepairedByAFreshUpgrade(MariaDbServer server, String point) throws Exception {
        long t0 = System.nanoTime();
        String database = server.newDatabaseName();
        DataSource ds = server.dataSource(database, MariaDbServer.Driver.MARIADB);
        Migrator migrator = Migrator.create(ds);
        migrator.upgrade("+1");
        seed(EventStore.create(ds), ROWS);
        Rows before = rows(ds);
        assertThat(before.count()).isEqualTo(ROWS);

        int exit;
        try (ChildJvm child = child(server, database, "pause", point, COMPOSITE)) {
            child.await("PAUSED " + point + " " + COMPOSITE, 60);
            assertThat(sessionsIn(ds, database)).as("the paused child's session").isEqualTo(1);
            exit = child.killHard();
        }
        long goneMs = awaitSessionsGone(ds, database);
        LiveIndex left = composite(ds);
        assertThat(exit).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
        assertThat(left == null).as("index left by the killed run").isEqualTo(point.equals("beforeDdl"));
        assertThat(migrator.current()).as("what the killed run committed").contains(point.equals("afterRevision") ? COMPOSITE : INITIAL);

        MigrationResult repaired = migrator.upgrade("head");

        assertThat(repaired.transitions()).hasSize(point.equals("afterRevision") ? 0 : 1);
        assertAtHeadWithEachRevisionOnce(migrator, ds, before);
        System.out.printf("[reliability] %s kill -9 at %s of %s: child exit %d, its session gone %d ms after the kill,"
                        + " index left %s, fresh upgrade applied %d revision(s), verify clean, log once each, %d rows kept, %.0f ms%n",
                label(server), point, COMPOSITE, exit, goneMs, left == null ? "none" : "built", repaired.transitions().size(),
                before.count(), (System.nanoTime() - t0) / 1e6);
    }

    // ============================================================ migrator processes at once

    @ParameterizedTest(name = "{0}: {1} migrator processes")
    @MethodSource("serversAndProcessCounts")
    void severalMigratorJvmsAtOnce_exactlyOneAppliesEachRevision(MariaDbServer server, int processes) throws Exception {
        long t0 = System.nanoTime();
        String database = server.newDatabaseName();
        DataSource ds = server.dataSource(database, MariaDbServer.Driver.MARIADB);
        List<ChildJvm> children = new ArrayList<>();
        List<String> applied = new ArrayList<>();
        List<String> byProcess = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                children.add(child(server, database, "go"));
            }
            for (ChildJvm child : children) {
                child.await("READY", 60);
            }
            long go = System.nanoTime();
            for (ChildJvm child : children) {
                child.send("go");
            }
            for (int i = 0; i < processes; i++) {
                ChildJvm child = children.get(i);
                assertThat(child.exitCode(90)).as("exit code of process %d; output: %s", i, child.output()).isZero();
                String line = child.await("APPLIED", 5).substring("APPLIED".length()).trim();
                byProcess.add("#" + i + "=" + (line.isEmpty() ? "-" : line));
                if (!line.isEmpty()) {
                    applied.addAll(List.of(line.split(",")));
                }
            }
            System.out.printf("[reliability] %s %d migrator processes at once: applied %s, all exit 0, %.0f ms after go (%.0f ms with JVM starts)%n",
                    label(server), processes, byProcess, (System.nanoTime() - go) / 1e6, (System.nanoTime() - t0) / 1e6);
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertThat(applied).as("each revision applied by exactly one process").containsExactlyInAnyOrder(INITIAL, COMPOSITE);
        Migrator check = Migrator.create(ds);
        assertThat(check.current()).contains(COMPOSITE);
        assertThat(check.log()).extracting(LogEntry::direction, LogEntry::revision)
                .containsExactly(tuple("upgrade", INITIAL), tuple("upgrade", COMPOSITE));
        assertThat(check.verify().drift()).isEmpty();
        assertThat(composite(ds)).isNotNull();
    }

    // ============================================================ the migration's connection killed

    @ParameterizedTest(name = "{0}: KILL after the DDL of {1}")
    @MethodSource("serversAndRevisions")
    void theMigrationsConnectionKilledAfterTheDdl_givesAClearError_andAFreshUpgradeRepairs(MariaDbServer server, String revision)
            throws Exception {
        String database = server.newDatabaseName();
        DataSource ds = server.dataSource(database, MariaDbServer.Driver.MARIADB);
        Rows before = null;
        if (revision.equals(COMPOSITE)) {
            Migrator.create(ds).upgrade("+1");
            seed(EventStore.create(ds), ROWS);
            before = rows(ds);
        }
        ConnectionIds migrating = new ConnectionIds(server.dataSource(database, MariaDbServer.Driver.MARIADB));
        AtomicLong killedAt = new AtomicLong();
        AtomicInteger killed = new AtomicInteger();
        Migrator faulty = Migrator.builder(migrating).listener(new MigrationListener() {
            @Override
            public void afterDdl(Transition t) {
                if (t.to().equals(revision)) {
                    try {
                        assertThat(migrating.ids()).as("the migration's connection").hasSize(1);
                        execute(ds, "KILL " + migrating.ids().get(0));
                        awaitSessionsGone(ds, database);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    killed.incrementAndGet();
                    killedAt.set(System.nanoTime());
                }
            }
        }).build();

        HostEventsException failed = catchThrowableOfType(HostEventsException.class, () -> faulty.upgrade("head"));
        long toErrorMs = (System.nanoTime() - killedAt.get()) / 1_000_000;

        assertThat(killed).hasValue(1);
        assertThat(failed).as("a HostEventsException, not a raw driver or jOOQ exception").isNotNull();
        assertThat(failed).isInstanceOf(DatabaseAccessException.class).hasCauseInstanceOf(SQLException.class);
        Migrator migrator = Migrator.create(ds);
        assertThat(migrator.current()).as("the revision was not recorded")
                .isEqualTo(revision.equals(INITIAL) ? Optional.empty() : Optional.of(INITIAL));

        MigrationResult repaired = migrator.upgrade("head");

        assertThat(repaired.transitions()).extracting(Transition::to)
                .containsExactlyElementsOf(revision.equals(INITIAL) ? List.of(INITIAL, COMPOSITE) : List.of(COMPOSITE));
        if (revision.equals(INITIAL)) {
            before = rows(ds);
            assertThat(before.count()).isZero();
        }
        assertThat(migrator.current()).contains(COMPOSITE);
        assertThat(migrator.verify().drift()).isEmpty();
        assertThat(composite(ds)).isNotNull();
        assertThat(migrator.log()).extracting(LogEntry::direction, LogEntry::revision).as("each revision applied once")
                .containsExactly(tuple("upgrade", INITIAL), tuple("upgrade", COMPOSITE));
        assertThat(rows(ds)).isEqualTo(before);
        System.out.printf("[reliability] %s migration connection killed (KILL <CONNECTION_ID()> from another session) after the DDL of %s:"
                        + " %s %d ms after the kill: \"%s\"; fresh upgrade applied %s, verify clean, log once each, %s%n",
                label(server), revision, failed.getClass().getSimpleName(), toErrorMs, oneLine(failed.getMessage()),
                repaired.transitions().stream().map(Transition::to).toList(),
                revision.equals(INITIAL) ? "no rows yet (this revision makes the table)" : before.count() + " rows kept");
    }

    /** A data source that notes the server's {@code CONNECTION_ID()} of each connection it opens. */
    private static final class ConnectionIds implements DataSource {
        private final DataSource delegate;
        private final List<Long> ids = new java.util.concurrent.CopyOnWriteArrayList<>();

        ConnectionIds(DataSource delegate) {
            this.delegate = delegate;
        }

        List<Long> ids() {
            return ids;
        }

        private Connection noted(Connection c) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                ids.add(rs.getLong(1));
            }
            return c;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return noted(delegate.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return noted(delegate.getConnection(username, password));
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return delegate.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return delegate.isWrapperFor(iface);
        }
    }
}
