package dev.hostevents.dialect.mysql;

import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.internal.EventQueries;
import dev.hostevents.internal.EventQueries.Bound;
import dev.hostevents.spi.Dialects;
import dev.hostevents.spi.QueryRole;
import dev.hostevents.testing.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Small helpers the MySQL-specific tests share. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2025-10-08T20:52:27.123456Z");
    static final String BIG_HOST = "host_aaaaaaaa0001";

    private Fixtures() {
    }

    /**
     * One big host ({@code big} events, 50 per timestamp) among 60 small hosts of 15 events each, then
     * {@code ANALYZE TABLE} so the optimizer knows the table is not tiny.
     */
    static void seed(DataSource ds, EventStore store, MutableClock clock, int big) {
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < big; i++) {
            batch.add(new NewEvent("big " + i, "big-" + i, null, BIG_HOST));
        }
        for (int h = 0; h < 60; h++) {
            for (int i = 0; i < 15; i++) {
                batch.add(new NewEvent("small " + h + " " + i, "small-" + h + "-" + i, null, String.format("host_%012d", h)));
            }
        }
        for (int i = 0; i < batch.size(); i += 50) {
            store.createAll(batch.subList(i, Math.min(i + 50, batch.size())));
            clock.advance(Duration.ofMillis(250));
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE TABLE events");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of a query, each as column label → value (text). */
    static List<Map<String, String>> rows(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rows(rs);
        }
    }

    static List<Map<String, String>> rows(ResultSet rs) throws SQLException {
        List<Map<String, String>> out = new ArrayList<>();
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                row.put(md.getColumnLabel(i), rs.getString(i));
            }
            out.add(row);
        }
        return out;
    }

    /** This session's {@code Handler_read%} counters. */
    static Map<String, Long> handlerReads(Connection c) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map<String, String> row : rows(c, "SHOW SESSION STATUS LIKE 'Handler_read%'")) {
            out.put(row.get("Variable_name"), Long.parseLong(row.get("Value")));
        }
        return out;
    }

    /**
     * Runs a page query exactly as the store renders it, on {@code c}, and returns how much each
     * {@code Handler_read%} counter of the session grew (a count of index reads, not a timing).
     */
    static Map<String, Long> handlerReadsOf(Connection c, Bound query, String host, int limit, int offset,
            Instant afterCreatedAt, long afterId) throws SQLException {
        QueryRole dialect = Dialects.forConnection(c).queries(); // binds as the store does; asked before counting
        Map<String, Long> before = handlerReads(c);
        int rows = 0;
        try (PreparedStatement ps = c.prepareStatement(query.sql())) {
            EventQueries.P[] params = query.params();
            for (int i = 0; i < params.length; i++) {
                switch (params[i]) {
                    case HOST -> ps.setString(i + 1, host);
                    case LIMIT -> ps.setInt(i + 1, limit);
                    case OFFSET -> ps.setInt(i + 1, offset);
                    case AFTER_CREATED_AT -> dialect.bindCreatedAt(ps, i + 1, afterCreatedAt);
                    case AFTER_ID -> ps.setLong(i + 1, afterId);
                    default -> throw new IllegalStateException("unexpected " + params[i]);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                }
            }
        }
        if (rows != limit) {
            throw new IllegalStateException("expected a full page of " + limit + " rows, got " + rows);
        }
        Map<String, Long> after = handlerReads(c);
        Map<String, Long> grew = new LinkedHashMap<>();
        after.forEach((k, v) -> grew.put(k, v - before.getOrDefault(k, 0L)));
        return grew;
    }

    /**
     * Copies tables (definition as {@code SHOW CREATE TABLE} prints it, then rows) from one database to
     * another, as a dump and restore onto an upgraded server would.
     */
    static void copyTables(DataSource from, DataSource to, String... tables) throws SQLException {
        try (Connection src = from.getConnection(); Connection dst = to.getConnection(); Statement d = dst.createStatement()) {
            for (String table : tables) {
                String ddl = rows(src, "SHOW CREATE TABLE " + table).get(0).get("Create Table");
                d.execute(ddl);
                try (Statement s = src.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    int n = rs.getMetaData().getColumnCount();
                    String marks = String.join(", ", java.util.Collections.nCopies(n, "?"));
                    try (PreparedStatement ins = dst.prepareStatement("INSERT INTO " + table + " VALUES (" + marks + ")")) {
                        while (rs.next()) {
                            for (int i = 1; i <= n; i++) {
                                ins.setObject(i, rs.getObject(i));
                            }
                            ins.executeUpdate();
                        }
                    }
                }
            }
        }
    }
}
