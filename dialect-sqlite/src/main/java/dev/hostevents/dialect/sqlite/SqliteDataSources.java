package dev.hostevents.dialect.sqlite;

import dev.hostevents.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Well-configured {@link javax.sql.DataSource}s for a SQLite file.
 *
 * <pre>{@code
 * DataSource ds = SqliteDataSources.file(Path.of("slido_clone.db"));
 * Migrator.create(ds).upgrade("head");
 * EventStore store = EventStore.create(ds);
 * }</pre>
 *
 * <p>Every connection gets, from {@link #recommendedConfig()}:
 * <ul>
 *   <li>{@code PRAGMA foreign_keys = ON} (SQLite leaves it off per connection);</li>
 *   <li>a busy timeout of {@link #DEFAULT_BUSY_TIMEOUT}, so a connection that meets a lock waits for it
 *       instead of failing at once with {@code SQLITE_BUSY};</li>
 *   <li>{@code IMMEDIATE} transactions: a transaction that reads and then writes (as
 *       {@code EventStore.createAll} does) takes the write lock at its start and queues behind another
 *       writer, instead of failing with {@code SQLITE_BUSY} when it upgrades its read lock, which no
 *       busy timeout can fix.</li>
 * </ul>
 *
 * <p><b>Journal mode.</b> {@link #file(Path)} puts a <em>new</em> file (missing or empty when it is
 * called) in WAL mode: readers and the writer no longer block each other, and a migration's commit never
 * waits for readers. WAL is a property of the file, kept once set, so a file that already exists keeps
 * its journal mode: the data source never changes a database you did not create behind your back
 * (one made by the Python app stays in its rollback journal). To move an existing file to WAL:
 * <pre>{@code
 * SQLiteConfig config = SqliteDataSources.recommendedConfig();
 * config.setJournalMode(SQLiteConfig.JournalMode.WAL);
 * DataSource ds = SqliteDataSources.file(path, config);
 * }</pre>
 * WAL needs every process on the same machine (not a network file system) and a writable directory for
 * the {@code -wal} and {@code -shm} files.
 *
 * <p>{@link SQLiteDataSource} opens a new connection on every {@code getConnection()}; for a server
 * application put a pool (e.g. HikariCP) in front of it.
 */
public final class SqliteDataSources {
    /** The busy timeout {@link #recommendedConfig()} sets. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

    private SqliteDataSources() {
    }

    /**
     * A data source for the SQLite file at {@code file} (created on first connection if missing) with
     * {@link #recommendedConfig()}; a new file (missing or empty now) is put in WAL mode, an existing
     * one keeps its journal mode.
     *
     * @param file the database file
     * @return a data source that opens a new connection on each call
     * @throws ValidationException naming {@code file} when the path contains {@code ?}
     */
    public static SQLiteDataSource file(Path file) {
        Objects.requireNonNull(file, "file");
        SQLiteDataSource ds = file(file, recommendedConfig());
        return isNew(file) ? new WalWhenNew(ds) : ds;
    }

    /**
     * Switches a still-empty file to WAL once, on its first connection. Not through the config: that
     * would run {@code PRAGMA journal_mode=WAL} on every connection, and two connections opening a new
     * file at once then fail with {@code SQLITE_BUSY} (a journal-mode switch takes the file's exclusive
     * lock without waiting). Here a switch that meets another connection is skipped: the file is being
     * created by someone else, and either journal mode works.
     */
    private static final class WalWhenNew extends SQLiteDataSource {
        private static final long serialVersionUID = 1L;
        private volatile boolean checked;

        WalWhenNew(SQLiteDataSource from) {
            super(from.getConfig());
            setUrl(from.getUrl());
        }

        @Override
        public org.sqlite.SQLiteConnection getConnection(String username, String password) throws java.sql.SQLException {
            org.sqlite.SQLiteConnection c = super.getConnection(username, password);
            if (!checked) {
                checked = true;
                try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("PRAGMA page_count")) {
                    if (rs.next() && rs.getLong(1) == 0) {
                        s.execute("PRAGMA journal_mode=WAL");
                    }
                } catch (java.sql.SQLException busy) {
                    // Another connection is creating the file right now: leave its journal mode to it.
                }
            }
            return c;
        }
    }

    /** Missing or empty: SQLite writes the header, and so the journal mode, on the first write. */
    private static boolean isNew(Path file) {
        try {
            return !Files.exists(file) || Files.size(file) == 0;
        } catch (IOException e) {
            return false; // unreadable now: leave the journal mode to whatever the file has
        }
    }

    /**
     * A data source for the SQLite file at {@code file} with the given configuration (start from
     * {@link #recommendedConfig()}). The configuration is used as it is at this call.
     *
     * @param file the database file
     * @param config the connection settings
     * @return a data source that opens a new connection on each call
     * @throws ValidationException naming {@code file} when the path contains {@code ?}
     */
    public static SQLiteDataSource file(Path file, SQLiteConfig config) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(config, "config");
        String path = file.toAbsolutePath().normalize().toString();
        if (path.indexOf('?') >= 0) {
            // sqlite-jdbc reads everything after '?' in its URL as connection parameters.
            throw new ValidationException("file", "must not contain '?' (sqlite-jdbc would read the rest as URL parameters)");
        }
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + path);
        return ds;
    }

    /**
     * A new configuration with what the library recommends: foreign keys on, a busy timeout of
     * {@link #DEFAULT_BUSY_TIMEOUT}, {@code IMMEDIATE} transactions, and the journal mode untouched.
     * Change it before passing it to {@link #file(Path, SQLiteConfig)}.
     *
     * @return a new, mutable configuration
     */
    public static SQLiteConfig recommendedConfig() {
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        config.setBusyTimeout((int) DEFAULT_BUSY_TIMEOUT.toMillis());
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return config;
    }
}
