package dev.hostevents.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * A database engine the benchmarks run on: makes fresh, empty databases and knows the few things that
 * differ per engine outside the library (how a hand-written loop reads {@code created_at} fastest,
 * how big an index is).
 */
public interface BenchDatabase extends AutoCloseable {
    /** Short name used on the command line: {@code sqlite}, {@code h2}, {@code postgres}, … */
    String key();

    /** A fresh, empty database of its own; {@code name} only helps tell files or schemas apart. */
    DataSource newDatabase(String name) throws SQLException;

    /**
     * Reads {@code created_at} the fastest way a hand-written loop would on this engine, giving the
     * same {@link Instant} the library's dialect gives.
     */
    Instant readCreatedAt(ResultSet rs, int column) throws SQLException;

    /**
     * Brings the planner's statistics up to date after a bulk load or an index build, as a server's
     * background job (PostgreSQL's autovacuum, InnoDB's persistent statistics) would have by the time
     * an application reads. Default: nothing (SQLite keeps no statistics unless ANALYZE is run, and
     * applications rarely run it).
     */
    default void refreshStatistics(Connection connection) throws SQLException {
    }

    /** Bytes the named index takes on disk, when the engine can say. */
    default OptionalLong indexBytes(Connection connection, String index) throws SQLException {
        return OptionalLong.empty();
    }

    /** Bytes the whole database takes (SQLite: page count times page size), when the engine can say. */
    default OptionalLong databaseBytes(Connection connection) throws SQLException {
        return OptionalLong.empty();
    }

    /** Stops servers and deletes files this engine made. */
    @Override
    void close();
}
