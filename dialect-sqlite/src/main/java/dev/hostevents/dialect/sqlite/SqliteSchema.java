package dev.hostevents.dialect.sqlite;

import dev.hostevents.spi.IndexColumn;
import dev.hostevents.spi.LiveIndex;
import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import dev.hostevents.spi.SchemaRole;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DataType;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultDataType;
import org.jooq.impl.SQLDataType;

/**
 * SQLite's table as SQLAlchemy lays it out, and its catalog read from {@code PRAGMA index_list} and
 * {@code PRAGMA index_xinfo}; index DDL uses the SPI's defaults.
 */
final class SqliteSchema implements SchemaRole {

    /** SQLAlchemy's column types for SQLite, spelled as it spells them (the declared type is kept verbatim). */
    private static final DataType<Integer> INTEGER = new DefaultDataType<>(SQLDialect.SQLITE, SQLDataType.INTEGER, "INTEGER");
    private static final DataType<String> VARCHAR = new DefaultDataType<>(SQLDialect.SQLITE, SQLDataType.VARCHAR, "VARCHAR");
    private static final DataType<String> TEXT = new DefaultDataType<>(SQLDialect.SQLITE, SQLDataType.CLOB, "TEXT");
    private static final DataType<java.time.LocalDateTime> DATETIME =
            new DefaultDataType<>(SQLDialect.SQLITE, SQLDataType.LOCALDATETIME, "DATETIME");
    private static final DataType<Boolean> BOOLEAN = new DefaultDataType<>(SQLDialect.SQLITE, SQLDataType.BOOLEAN, "BOOLEAN");

    /** {@code DATETIME}, as SQLAlchemy declares it; the values are TEXT (see {@link SqliteTimestampConverter}). */
    @Override
    public DataType<?> createdAtType() {
        return DATETIME;
    }

    /**
     * The table as SQLAlchemy's {@code CREATE TABLE} lays it out for the original app. The declared type
     * of {@code id} must be exactly {@code INTEGER} for it to become the rowid; jOOQ's own SQLite types
     * would render {@code int} (a separate {@code sqlite_autoindex}) or, as an identity,
     * {@code AUTOINCREMENT}. One addition over SQLAlchemy: {@code is_active} defaults to true, as the
     * design asks.
     */
    @Override
    public List<RenderedStatement> createEventsTable(RenderContext ctx) {
        return List.of(ctx.statement(ctx.dsl().createTable(DSL.name("events"))
                .column(DSL.name("id"), INTEGER.nullable(false))
                .column(DSL.name("title"), VARCHAR.length(200).nullable(false))
                .column(DSL.name("slug"), VARCHAR.length(50).nullable(false))
                .column(DSL.name("description"), TEXT)
                .column(DSL.name("short_code"), VARCHAR.length(20).nullable(false))
                .column(DSL.name("host_code"), VARCHAR.length(50).nullable(false))
                .column(DSL.name("created_at"), DATETIME.nullable(false))
                .column(DSL.name("is_active"), BOOLEAN.nullable(false).defaultValue(DSL.inline(true)))
                .primaryKey(DSL.name("id"))));
    }

    /**
     * Reads {@code PRAGMA index_list} and, per index, the key columns of {@code PRAGMA index_xinfo} with
     * their {@code desc} flag. Indexes that are the table's own primary key (origin {@code pk}) are left
     * out; there is none when {@code id} is the rowid.
     */
    @Override
    public List<LiveIndex> readIndexes(Connection connection, String table) throws SQLException {
        record Listed(String name, boolean unique) {
        }
        List<Listed> listed = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT name, \"unique\", origin FROM pragma_index_list(?) ORDER BY seq")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!"pk".equals(rs.getString(3))) {
                        listed.add(new Listed(rs.getString(1), rs.getInt(2) != 0));
                    }
                }
            }
        }
        List<LiveIndex> out = new ArrayList<>(listed.size());
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT name, \"desc\" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno")) {
            for (Listed index : listed) {
                ps.setString(1, index.name());
                List<IndexColumn> columns = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String column = rs.getString(1);
                        // An expression key has no column name; it can never match a declared index.
                        columns.add(new IndexColumn(column == null ? "(expression)" : column, rs.getInt(2) != 0));
                    }
                }
                out.add(new LiveIndex(index.name(), columns, index.unique(), true));
            }
        }
        return out;
    }

    /** Asks {@code sqlite_master} directly: exact, and SQLite names are case-insensitive. */
    @Override
    public boolean tableExists(Connection connection, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
