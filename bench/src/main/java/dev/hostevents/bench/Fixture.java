package dev.hostevents.bench;

import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.Dialects;
import dev.hostevents.spi.ServerInfo;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.OptionalLong;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Two databases of one engine holding the same seeded rows: one migrated to {@code head} (with
 * {@code idx_host_event_created}), one left at the initial schema (only {@code ix_events_host_code}).
 * Both are loaded at the initial schema and the first is then upgraded, so the upgrade is also the
 * measurement of building the composite index on a full table, as a real deployment would.
 */
public final class Fixture implements AutoCloseable {
    /** The initial schema's revision: {@code events} with its four single-column indexes. */
    public static final String INITIAL_REVISION = "9372cec8298d";
    /** The composite index under test. */
    public static final String INDEX = "idx_host_event_created";

    private final BenchDatabase database;
    private final SeededEventData data;
    private final DataSource withIndex;
    private final DataSource withoutIndex;
    private final Dialect dialect;
    private final String driver;
    private final long fingerprint;
    private final double loadSeconds;
    private final double firstBuildMillis;
    private final OptionalLong indexBytes;
    private final OptionalLong growthBytes;

    private Fixture(BenchDatabase database, DataSpec spec, Consumer<String> progress) throws SQLException {
        this.database = database;
        this.data = new SeededEventData(spec);
        this.withoutIndex = database.newDatabase("without-index");
        Migrator.create(withoutIndex).upgrade(INITIAL_REVISION);
        try (Connection c = withoutIndex.getConnection()) {
            this.dialect = Dialects.forConnection(c);
            DatabaseMetaData md = c.getMetaData();
            this.driver = md.getDriverName() + " " + md.getDriverVersion();
        }
        progress.accept("loading " + spec.totalRows() + " rows twice into " + dialect.server() + " (seed " + spec.seed() + ")");
        long t0 = System.nanoTime();
        long first = data.load(withoutIndex, dialect);
        this.withIndex = database.newDatabase("with-index");
        Migrator.create(withIndex).upgrade(INITIAL_REVISION);
        long second = data.load(withIndex, dialect);
        this.loadSeconds = (System.nanoTime() - t0) / 1e9 / 2;
        if (first != second) {
            throw new IllegalStateException("the same seed made different rows: generation is not deterministic");
        }
        this.fingerprint = first;
        OptionalLong before;
        try (Connection c = withIndex.getConnection()) {
            before = database.databaseBytes(c);
        }
        progress.accept("building " + INDEX + " with the migrator (upgrade head)");
        long b0 = System.nanoTime();
        Migrator.create(withIndex).upgrade("head");
        this.firstBuildMillis = (System.nanoTime() - b0) / 1e6;
        try (Connection c = withoutIndex.getConnection()) {
            database.refreshStatistics(c);
        }
        try (Connection c = withIndex.getConnection()) {
            database.refreshStatistics(c);
            this.indexBytes = database.indexBytes(c, INDEX);
            OptionalLong after = database.databaseBytes(c);
            this.growthBytes = before.isPresent() && after.isPresent()
                    ? OptionalLong.of(after.getAsLong() - before.getAsLong()) : OptionalLong.empty();
        }
    }

    /**
     * Makes both databases and loads them. The fixture owns {@code database} from then on and
     * closes it in {@link #close()}.
     *
     * @param progress receives one line per slow step (never a host code)
     */
    public static Fixture create(BenchDatabase database, DataSpec spec, Consumer<String> progress) throws SQLException {
        return new Fixture(database, spec, progress);
    }

    /** The engine. */
    public BenchDatabase database() {
        return database;
    }

    /** The rows and their host codes. */
    public SeededEventData data() {
        return data;
    }

    /** The spec the rows follow. */
    public DataSpec spec() {
        return data.spec();
    }

    /** The database at {@code head}: has {@code idx_host_event_created}. */
    public DataSource withIndex() {
        return withIndex;
    }

    /** The database at the initial schema: only {@code ix_events_host_code} serves the page query. */
    public DataSource withoutIndex() {
        return withoutIndex;
    }

    /** The dialect picked for the engine, bound to its server. */
    public Dialect dialect() {
        return dialect;
    }

    /** The server as the dialect describes it. */
    public ServerInfo server() {
        return dialect.server();
    }

    /** JDBC driver name and version. */
    public String driver() {
        return driver;
    }

    /** Fingerprint of the loaded rows (equal seeds give equal fingerprints). */
    public long fingerprint() {
        return fingerprint;
    }

    /** Seconds to load one copy of the rows. */
    public double loadSeconds() {
        return loadSeconds;
    }

    /** Milliseconds the first {@code upgrade head} took (building the index on the loaded table). */
    public double firstBuildMillis() {
        return firstBuildMillis;
    }

    /** Size of the composite index as the engine reports it (SQLite: {@code dbstat}). */
    public OptionalLong indexBytes() {
        return indexBytes;
    }

    /** How much the database grew when the index was built (SQLite: used pages before and after). */
    public OptionalLong growthBytes() {
        return growthBytes;
    }

    @Override
    public void close() {
        database.close();
    }
}
