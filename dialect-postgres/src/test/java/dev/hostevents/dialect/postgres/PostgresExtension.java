package dev.hostevents.dialect.postgres;

import dev.hostevents.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for the tests: one per test JVM, started on first use, each
 * {@link #newDatabase()} a database of its own on it ({@code CREATE DATABASE t_N}).
 *
 * <p>By default the server is an embedded PostgreSQL (zonky, binaries from Maven: nothing to install),
 * shut down when JUnit closes its root store at the end of the run. With
 * {@code -Dhostevents.test.postgres.url=jdbc:postgresql://host:5432/postgres} (plus
 * {@code hostevents.test.postgres.user} / {@code .password}) the tests use that server instead, to run
 * the suite against your own PostgreSQL version; the databases they create there are dropped at the end.
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresExtension POSTGRES = PostgresExtension.instance();
 * DataSource ds = POSTGRES.newDatabase();
 * }</pre>
 */
public final class PostgresExtension implements BeforeAllCallback, TestDatabase {
    /** System property naming an external server's JDBC URL (any database on it the user may connect to). */
    public static final String URL_PROPERTY = "hostevents.test.postgres.url";

    private static final PostgresExtension INSTANCE = new PostgresExtension();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    private Server server;

    private PostgresExtension() {
    }

    /** The one extension (and server) of this JVM. */
    public static PostgresExtension instance() {
        return INSTANCE;
    }

    /** Starts the server once, owned by JUnit's root store so it is closed after the last test class. */
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Server.class, k -> server(), Server.class);
    }

    /** The server, started on first use (also outside JUnit, e.g. from a measurement's main). */
    public synchronized Server server() {
        if (server == null) {
            server = Server.start();
        }
        return server;
    }

    @Override
    public DataSource newDatabase() {
        return server().createDatabase(null);
    }

    /** A fresh database copied from {@code template} ({@link Server#createDatabase}). */
    public DataSource newDatabaseFrom(String template) {
        return server().createDatabase(template);
    }

    @Override
    public String describe() {
        return server().describe();
    }

    /**
     * One PostgreSQL server, embedded or external. {@link AutoCloseable} so JUnit's root store stops it
     * (or drops the databases made on an external server) at the end of the run.
     */
    public static final class Server implements AutoCloseable {
        private static final AtomicInteger COUNTER = new AtomicInteger();

        private final EmbeddedPostgres embedded;
        private final String adminUrl;
        private final Properties credentials;
        private final String prefix;
        private final List<String> created = new ArrayList<>();
        private final List<String> roles = new ArrayList<>();
        private int major;

        private Server(EmbeddedPostgres embedded, String adminUrl, Properties credentials, String prefix) {
            this.embedded = embedded;
            this.adminUrl = adminUrl;
            this.credentials = credentials;
            this.prefix = prefix;
        }

        /** Starts the embedded server, or connects to the one named by {@value #URL_PROPERTY}. */
        public static Server start() {
            String url = System.getProperty(URL_PROPERTY);
            Properties credentials = new Properties();
            if (url != null && !url.isBlank()) {
                credentials.setProperty("user", System.getProperty("hostevents.test.postgres.user", "postgres"));
                credentials.setProperty("password", System.getProperty("hostevents.test.postgres.password", ""));
                // Unique per JVM so two runs against one server do not collide.
                return new Server(null, url, credentials, "hostevents_t" + ProcessHandle.current().pid() + "_");
            }
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        // A throw-away server: durability settings off make CREATE DATABASE and bulk loads fast.
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "200")
                        .start();
                credentials.setProperty("user", "postgres");
                return new Server(pg, pg.getJdbcUrl("postgres", "postgres"), credentials, "t_");
            } catch (IOException e) {
                throw new IllegalStateException("could not start the embedded PostgreSQL server", e);
            }
        }

        /**
         * Creates a database and returns a data source for it (a new connection per
         * {@code getConnection()}, as a pool that grows would give).
         *
         * @param template a database to copy, or {@code null} for an empty one
         */
        public synchronized DataSource createDatabase(String template) {
            String name = prefix + COUNTER.incrementAndGet();
            // PostgreSQL 15+ copies through the WAL by default; copying the files is faster here, a
            // lot faster for a large template (the durability it gives up does not matter for tests).
            execute("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template)
                    + (serverMajor() >= 15 ? " STRATEGY FILE_COPY" : ""));
            created.add(name);
            return dataSource(name);
        }

        /**
         * Creates a login role with {@code password} and a database it owns, and returns a data source
         * that connects as that role: its URL, user and password are what a client given a URL, a user
         * and a password uses (e.g. to test how a tool reads a password). On an external server the role
         * is dropped with the databases at the end.
         */
        public synchronized DataSource createDatabaseWithOwner(String password) {
            String name = prefix + COUNTER.incrementAndGet();
            String owner = name + "_owner";
            execute("CREATE USER " + owner + " PASSWORD '" + password.replace("'", "''") + "'");
            roles.add(owner);
            execute("CREATE DATABASE " + name + " OWNER " + owner);
            created.add(name);
            PGSimpleDataSource ds = (PGSimpleDataSource) dataSource(name);
            ds.setUser(owner);
            ds.setPassword(password);
            return ds;
        }

        private int serverMajor() {
            if (major == 0) {
                try (Connection c = DriverManager.getConnection(adminUrl, credentials)) {
                    major = c.getMetaData().getDatabaseMajorVersion();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            return major;
        }

        /** A data source for an existing database of this server. */
        public DataSource dataSource(String database) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(urlOf(database));
            ds.setUser(credentials.getProperty("user"));
            ds.setPassword(credentials.getProperty("password"));
            return ds;
        }

        /** A new database name (for templates), not yet created. */
        public String newName() {
            return prefix + COUNTER.incrementAndGet();
        }

        /** Runs SQL on the server's maintenance database (CREATE / DROP DATABASE). */
        public void execute(String sql) {
            try (Connection c = DriverManager.getConnection(adminUrl, credentials); Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }

        /** Remembers a database made with {@link #execute} so {@link #close()} drops it. */
        public synchronized void created(String database) {
            created.add(database);
        }

        private String urlOf(String database) {
            // Replace the database of the admin URL, keeping host, port and parameters.
            int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
            int query = adminUrl.indexOf('?', slash);
            return adminUrl.substring(0, slash + 1) + database + (query < 0 ? "" : adminUrl.substring(query));
        }

        /** {@code PostgreSQL 17.11 (embedded)} or {@code (external …)}. */
        public String describe() {
            try (Connection c = DriverManager.getConnection(adminUrl, credentials)) {
                return "PostgreSQL " + c.getMetaData().getDatabaseProductVersion()
                        + (embedded != null ? " (embedded)" : " (external " + adminUrl.replaceAll("\\?.*", "") + ")");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public synchronized void close() throws IOException {
            if (embedded != null) {
                embedded.close();
                return;
            }
            for (String name : created) {
                try {
                    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                } catch (IllegalStateException e) {
                    System.err.println("could not drop test database " + name + ": " + e.getMessage());
                }
            }
            for (String role : roles) {
                try {
                    execute("DROP ROLE IF EXISTS " + role);
                } catch (IllegalStateException e) {
                    System.err.println("could not drop test role " + role + ": " + e.getMessage());
                }
            }
        }
    }
}
