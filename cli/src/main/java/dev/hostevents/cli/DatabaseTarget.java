package dev.hostevents.cli;

import dev.hostevents.DatabaseAccessException;
import dev.hostevents.EventStore;
import dev.hostevents.HostEventsException;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.DialectProvider;
import dev.hostevents.spi.Dialects;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The database the global options point at: its data source, and a migrator and event store on it
 * that use the {@code --dialect} override when one is given.
 */
final class DatabaseTarget {
    private final String url;
    private final String user;
    private final String password;
    private final String dialectName;
    private final Path workingDirectory;
    private final boolean mayCreate;
    private DataSource dataSource;

    DatabaseTarget(String url, String user, String password, String dialectName, Path workingDirectory, boolean mayCreate) {
        this.mayCreate = mayCreate;
        this.url = url;
        this.user = user;
        this.password = password;
        this.dialectName = dialectName;
        this.workingDirectory = workingDirectory;
    }

    /** The data source, made on first use; opens a connection per call, no pool. */
    DataSource dataSource() {
        if (dataSource == null) {
            dataSource = JdbcDataSources.forUrl(url, user, password, workingDirectory, mayCreate);
        }
        return dataSource;
    }

    /** Whether the database has the {@code events} table, checked through its dialect. */
    boolean hasEventsTable() {
        try (Connection c = dataSource().getConnection()) {
            return Dialects.forConnection(c, dialectOverride()).schema().tableExists(c, "events");
        } catch (SQLException e) {
            throw DatabaseAccessException.of("reading the catalog", e);
        }
    }

    /** A migrator for the built-in chain. */
    Migrator migrator() {
        Migrator.Builder b = Migrator.builder(dataSource());
        DialectProvider d = dialectOverride();
        if (d != null) {
            b.dialect(d);
        }
        return b.build();
    }

    /** An event store with the system clock. */
    EventStore store() {
        return store(Clock.systemUTC());
    }

    /** An event store whose {@code created_at} values come from {@code clock}. */
    EventStore store(Clock clock) {
        return builder(clock).build();
    }

    /**
     * An event store on a database that has the schema; refuses early with a hint otherwise, instead
     * of a driver's "no such table".
     */
    EventStore storeWithSchema(Clock clock) {
        return storeWithSchema(clock, b -> { });
    }

    /**
     * As {@link #storeWithSchema(Clock)}, with further builder settings (e.g. the cursor key), which are
     * checked before the database is touched.
     */
    EventStore storeWithSchema(Clock clock, Consumer<EventStore.Builder> settings) {
        EventStore.Builder b = builder(clock);
        settings.accept(b);
        if (migrator().current().isEmpty()) {
            throw new HostEventsException("the database has no hostevents schema yet; run 'hostevents upgrade' first");
        }
        return b.build();
    }

    /**
     * A builder with a throwaway cursor key: a run is a JVM of its own, so its cursors die with it
     * anyway, and the store's WARN about a missing key would only be noise on stderr. The
     * {@code events} command sets the shared key when {@code HOSTEVENTS_CURSOR_KEY} is given.
     */
    private EventStore.Builder builder(Clock clock) {
        byte[] throwaway = new byte[32];
        new SecureRandom().nextBytes(throwaway);
        EventStore.Builder b = EventStore.builder(dataSource()).clock(clock).cursorKey(throwaway);
        DialectProvider d = dialectOverride();
        if (d != null) {
            b.dialect(d);
        }
        return b;
    }

    private DialectProvider dialectOverride() {
        return dialectName == null ? null : Dialects.byName(dialectName);
    }
}
