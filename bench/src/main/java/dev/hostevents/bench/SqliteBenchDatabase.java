package dev.hostevents.bench;

import dev.hostevents.dialect.sqlite.SqliteDataSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.OptionalLong;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;

/** SQLite files in a temporary folder, deleted on {@link #close()}. */
public final class SqliteBenchDatabase implements BenchDatabase {
    private static final DateTimeFormatter TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");
    private final Path dir;

    /** Makes the temporary folder. */
    public SqliteBenchDatabase() {
        try {
            this.dir = Files.createTempDirectory("hostevents-bench-sqlite-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String key() {
        return "sqlite";
    }

    @Override
    public DataSource newDatabase(String name) {
        // The library's recommended configuration plus WAL, as its documentation suggests for a server:
        // the pool's readers then run side by side.
        SQLiteConfig config = SqliteDataSources.recommendedConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        return SqliteDataSources.file(dir.resolve(name + ".db"), config);
    }

    /**
     * Parses the fixed-width text {@code YYYY-MM-DD HH:MM:SS.ffffff} by character position: what a
     * hand-written loop would do, with no formatter and no intermediate objects.
     */
    @Override
    public Instant readCreatedAt(ResultSet rs, int column) throws SQLException {
        String s = rs.getString(column);
        if (s.length() != 26) {
            return LocalDateTime.parse(s, TEXT).toInstant(ZoneOffset.UTC);
        }
        int year = num(s, 0, 4);
        int month = num(s, 5, 7);
        int day = num(s, 8, 10);
        int hour = num(s, 11, 13);
        int minute = num(s, 14, 16);
        int second = num(s, 17, 19);
        int micros = num(s, 20, 26);
        return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1_000).toInstant(ZoneOffset.UTC);
    }

    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    /** From the {@code dbstat} virtual table, when the SQLite library was compiled with it. */
    @Override
    public OptionalLong indexBytes(Connection connection, String index) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT SUM(pgsize) FROM dbstat WHERE name = ?")) {
            ps.setString(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            // "no such table: dbstat": the library lacks SQLITE_ENABLE_DBSTAT_VTAB; page counts are the fallback.
            return OptionalLong.empty();
        }
    }

    @Override
    public OptionalLong databaseBytes(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            long pages;
            long size;
            try (ResultSet rs = s.executeQuery("PRAGMA page_count")) {
                rs.next();
                pages = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
                rs.next();
                size = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("PRAGMA freelist_count")) {
                rs.next();
                pages -= rs.getLong(1);
            }
            return OptionalLong.of(pages * size);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary folder is harmless.
        }
    }
}
