package dev.hostevents.dialect.mysql;

import dev.hostevents.spi.IndexColumn;
import dev.hostevents.spi.IndexSpec;
import dev.hostevents.spi.LiveIndex;
import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import dev.hostevents.spi.SchemaRole;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DataType;
import org.jooq.SQLDialect;
import org.jooq.impl.DefaultDataType;
import org.jooq.impl.SQLDataType;

/**
 * MySQL's and MariaDB's DDL and catalog for one server generation: {@code DATETIME(6)},
 * {@code utf8mb4}, and on a server that drops {@code DESC} the composite index built ascending by
 * design (with the note and, after an upgrade, the advice that go with it). Whether the server keeps
 * {@code DESC} is decided once by {@link MySqlDialectProvider#bind}.
 */
final class MySqlSchema implements SchemaRole {
    private static final String BY_DESIGN = "ascending by design on ";
    private static final DataType<LocalDateTime> DATETIME_MYSQL =
            new DefaultDataType<>(SQLDialect.MYSQL, LocalDateTime.class, "datetime").precision(6);
    private static final DataType<LocalDateTime> DATETIME_MARIADB =
            new DefaultDataType<>(SQLDialect.MARIADB, LocalDateTime.class, "datetime").precision(6);

    private final boolean keepsDesc;
    private final String serverName;
    private final DataType<LocalDateTime> createdAtType;

    /**
     * @param keepsDesc true when the server builds {@code DESC} index columns descending
     * @param serverName "MariaDB 10.2" / "MySQL 5.7", for the build note and the advice
     * @param sqlDialect the jOOQ dialect the server's SQL is rendered with
     */
    MySqlSchema(boolean keepsDesc, String serverName, SQLDialect sqlDialect) {
        this.keepsDesc = keepsDesc;
        this.serverName = serverName;
        this.createdAtType = sqlDialect == SQLDialect.MARIADB ? DATETIME_MARIADB : DATETIME_MYSQL;
    }

    /**
     * {@code DATETIME(6)}: UTC wall time, microseconds, never converted by the server's time zone. (jOOQ
     * renders {@link SQLDataType#LOCALDATETIME} as {@code TIMESTAMP} here, which the server converts with
     * the session {@code time_zone} and which ends in 2038.)
     */
    @Override
    public DataType<?> createdAtType() {
        return createdAtType;
    }

    /** The contract table, {@code DEFAULT CHARSET=utf8mb4} so any Unicode title fits on every server. */
    @Override
    public List<RenderedStatement> createEventsTable(RenderContext ctx) {
        return List.of(ctx.statement(eventsTable(ctx).storage("DEFAULT CHARSET=utf8mb4")));
    }

    /** On a server that drops {@code DESC}: the declared index with every column ascending. */
    @Override
    public IndexSpec expectedIndex(IndexSpec declared) {
        return keepsDesc ? declared : declared.allAscending();
    }

    /** "ascending by design on MariaDB 10.2: it drops DESC" when a declared DESC column is built ascending. */
    @Override
    public String buildNote(IndexSpec declared) {
        return declared.hasDescendingColumn() && !keepsDesc
                ? BY_DESIGN + serverName + ": it drops DESC"
                : null;
    }

    /**
     * After a server upgrade an index built "ascending by design" (as its revision's log note says) is
     * still ascending: {@code verify} accepts it and {@link #advice} says it can be rebuilt.
     */
    @Override
    public Optional<IndexSpec> indexBuiltByDesign(IndexSpec declared, String buildNote) {
        return buildNote != null && buildNote.startsWith(BY_DESIGN) && declared.hasDescendingColumn()
                ? Optional.of(declared.allAscending())
                : Optional.empty();
    }

    /** An ascending build of a {@code DESC} index on a server that now keeps {@code DESC} can be rebuilt. */
    @Override
    public List<String> advice(IndexSpec declared, LiveIndex live) {
        if (declared.hasDescendingColumn() && keepsDesc && live.matches(declared.allAscending())) {
            String columns = String.join(", ", declared.columns().stream()
                    .map(c -> c.name() + (c.descending() ? " DESC" : "")).toList());
            return List.of("index " + declared.name() + " was built ascending by a server that dropped DESC; "
                    + serverName + " keeps DESC, so it can now be rebuilt descending as declared: DROP INDEX "
                    + declared.name() + " ON " + declared.table() + "; CREATE " + (declared.unique() ? "UNIQUE " : "")
                    + "INDEX " + declared.name() + " ON " + declared.table() + "(" + columns + ") (or downgrade below "
                    + "its revision and upgrade again). Until then the page query (created_at DESC, id ASC on this "
                    + "server) sorts the host's rows.");
        }
        return List.of();
    }

    /**
     * Reads {@code information_schema.STATISTICS} of the current schema: {@code COLLATION} is {@code D}
     * for a column the server really keeps descending, {@code A} otherwise (old servers say {@code A}
     * even when {@code DESC} was written). The primary key is left out.
     */
    @Override
    public List<LiveIndex> readIndexes(Connection connection, String table) throws SQLException {
        record Column(String index, String name, boolean descending, boolean unique) {
        }
        List<Column> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT INDEX_NAME, COLUMN_NAME, COLLATION, NON_UNIQUE FROM information_schema.STATISTICS"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY'"
                        + " ORDER BY INDEX_NAME, SEQ_IN_INDEX")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // A functional key part (MySQL 8) has no column name.
                    String column = rs.getString(2) == null ? "(expression)" : rs.getString(2);
                    rows.add(new Column(rs.getString(1), column, "D".equals(rs.getString(3)), rs.getInt(4) == 0));
                }
            }
        }
        Map<String, List<Column>> byIndex = new LinkedHashMap<>();
        for (Column c : rows) {
            byIndex.computeIfAbsent(c.index(), k -> new ArrayList<>()).add(c);
        }
        List<LiveIndex> out = new ArrayList<>();
        byIndex.forEach((name, columns) -> out.add(new LiveIndex(name,
                columns.stream().map(c -> new IndexColumn(c.name(), c.descending())).toList(),
                columns.get(0).unique(), true)));
        return out;
    }

    /** Looks in {@code information_schema.TABLES} of the current schema (either driver, any catalog setting). */
    @Override
    public boolean tableExists(Connection connection, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
