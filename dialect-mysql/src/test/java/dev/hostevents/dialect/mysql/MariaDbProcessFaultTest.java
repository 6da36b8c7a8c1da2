package dev.hostevents.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.testing.ChildJvm;
import dev.hostevents.testing.ServerProcessFaultContract;
import dev.hostevents.testing.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * {@link ServerProcessFaultContract} on a MariaDB server, run on both by {@link MariaDbNewProcessFaultTest}
 * (11.4, keeps {@code DESC}) and {@link MariaDbOldProcessFaultTest} (10.2, drops it): a migrator JVM
 * ({@link MariaDbMigratorChild}) killed with SIGKILL at each point of a revision, several migrator JVMs at
 * once, and the migration's own connection killed ({@code KILL id}) after its DDL. MySQL has no
 * transactional DDL, so what repairs a half-applied revision is the next run checking the live schema.
 */
abstract class MariaDbProcessFaultTest extends ServerProcessFaultContract {
    private static final Pattern PASSWORD = Pattern.compile("(?<=[?&])password=([^&]*)&?");

    /** The tagged data sources of this test, by tag. */
    private final Map<String, ConnectionIds> tagged = new ConcurrentHashMap<>();

    /** The server this subclass runs on. */
    abstract MariaDbServer server();

    @Override
    protected TestDatabase database() {
        return server();
    }

    @Override
    protected String label() {
        return "MariaDB " + server().server().version() + " (" + server() + ")";
    }

    /**
     * A migrator JVM on the database of {@code ds}: the JDBC URL as an argument, without a password (an
     * external server's, if any, goes through the environment). MariaDB has no session name to set: the
     * tag is not used, the child's session is the only other one of its database.
     */
    @Override
    protected ChildJvm startMigrator(DataSource ds, String tag, String... childMigrationArgs) throws IOException {
        String url = server().url(database(ds), MariaDbServer.Driver.MARIADB);
        Map<String, String> env = new HashMap<>();
        Matcher m = PASSWORD.matcher(url);
        if (m.find()) {
            env.put("HOSTEVENTS_CHILD_PASSWORD", java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
            url = m.replaceAll("").replaceAll("[?&]$", "");
        }
        List<String> all = new ArrayList<>(List.of(url));
        all.addAll(List.of(childMigrationArgs));
        return ChildJvm.start(MariaDbMigratorChild.class, env, all.toArray(String[]::new));
    }

    @Override
    protected String whilePaused(DataSource ds, String tag, String point) throws SQLException {
        assertThat(otherSessions(ds)).as("the paused child's session").isEqualTo(1);
        return null;
    }

    @Override
    protected long awaitKilledSessionGone(DataSource ds, String tag) throws SQLException, InterruptedException {
        return awaitSessionsGone(ds);
    }

    /** The index gives the same rows as the table. */
    @Override
    protected String storageChecks(DataSource ds) throws SQLException {
        assertThat(queryLong(ds, "SELECT COUNT(*) FROM events FORCE INDEX (idx_host_event_created) WHERE host_code = ?", host(1)))
                .isEqualTo(queryLong(ds, "SELECT COUNT(*) FROM events") / HOSTS);
        return null;
    }

    @Override
    protected DataSource taggedDataSource(DataSource ds, String tag) {
        ConnectionIds ids = new ConnectionIds(server().dataSource(database(ds), MariaDbServer.Driver.MARIADB));
        tagged.put(tag, ids);
        return ids;
    }

    @Override
    protected String killSession(DataSource ds, String tag) throws SQLException, InterruptedException {
        List<Long> ids = tagged.get(tag).ids();
        assertThat(ids).as("the migration's connection").hasSize(1);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("KILL " + ids.get(0));
        }
        awaitSessionsGone(ds);
        return "KILL " + ids.get(0);
    }

    @Override
    protected String expectedKillError() {
        return "08000";
    }

    private static String database(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
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

    /** Sessions of the database of {@code ds} other than the one asking. */
    private static long otherSessions(DataSource ds) throws SQLException {
        return queryLong(ds, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()");
    }

    /** Waits until no other session of the database of {@code ds} is left; returns the milliseconds it took. */
    private static long awaitSessionsGone(DataSource ds) throws SQLException, InterruptedException {
        long t0 = System.nanoTime();
        while (otherSessions(ds) > 0) {
            assertThat(System.nanoTime() - t0).as("a killed session is still there").isLessThan(TimeUnit.SECONDS.toNanos(30));
            Thread.sleep(10);
        }
        return (System.nanoTime() - t0) / 1_000_000;
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
