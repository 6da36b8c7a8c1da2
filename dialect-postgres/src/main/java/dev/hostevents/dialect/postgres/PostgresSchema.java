package dev.hostevents.dialect.postgres;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.impl.DSL;

/**
 * PostgreSQL's DDL and catalog: indexes on an existing table are built and dropped
 * {@code CONCURRENTLY}, outside the revision's transaction; {@code pg_index} is read with
 * {@code indisvalid}, so an INVALID index left by a failed concurrent build is seen. {@code created_at}
 * is the SPI's default {@code timestamp(6)}.
 */
final class PostgresSchema implements SchemaRole {
    private static final Pattern CREATE_INDEX = Pattern.compile("^(CREATE (?:UNIQUE )?INDEX) ", Pattern.CASE_INSENSITIVE);
    private static final Pattern DROP_INDEX = Pattern.compile("^(DROP INDEX) ", Pattern.CASE_INSENSITIVE);
    private static final String CONCURRENT_COMMENT =
            "CONCURRENTLY cannot run inside a transaction block: run this statement on its own, in auto-commit";

    /**
     * Builds the index with {@code CONCURRENTLY}, outside the revision's transaction, unless the table
     * is new. The initial schema's indexes are created right after {@code CREATE TABLE} in the same
     * revision: the table is new and empty, nobody can be writing to it yet, and plain DDL keeps the
     * revision atomic (all or nothing) and does not wait for every open transaction of the database as
     * a concurrent build does.
     */
    @Override
    public List<RenderedStatement> createIndex(IndexSpec index, boolean tableIsNew, RenderContext ctx) {
        List<RenderedStatement> plain = SchemaRole.super.createIndex(index, tableIsNew, ctx);
        return tableIsNew ? plain : concurrently(plain, CREATE_INDEX);
    }

    /**
     * {@code DROP INDEX CONCURRENTLY}, which waits for running queries on the table instead of blocking
     * new ones; plain when the table is dropped right afterwards in the same revision (the initial
     * schema's indexes, which are only dropped on the way to dropping the table itself).
     */
    @Override
    public List<RenderedStatement> dropIndex(IndexSpec index, boolean beforeTableDrop, RenderContext ctx) {
        // PostgreSQL index names are schema-wide: no ON clause (jOOQ leaves it out for POSTGRES anyway).
        List<RenderedStatement> plain = List.of(ctx.statement(ctx.dsl().dropIndex(DSL.name(index.name()))));
        return beforeTableDrop ? plain : concurrently(plain, DROP_INDEX);
    }

    /** jOOQ's DSL has no CONCURRENTLY: rewrite the rendered statement's head, failing loudly if it changed. */
    private static List<RenderedStatement> concurrently(List<RenderedStatement> rendered, Pattern head) {
        List<RenderedStatement> out = new ArrayList<>(rendered.size());
        for (RenderedStatement s : rendered) {
            Matcher m = head.matcher(s.sql());
            if (!m.find()) {
                throw new IllegalStateException("cannot add CONCURRENTLY to unexpected jOOQ output: " + s.sql());
            }
            out.add(new RenderedStatement(m.replaceFirst("$1 CONCURRENTLY "), true, CONCURRENT_COMMENT));
        }
        return out;
    }

    /**
     * Reads the table's indexes from {@code pg_index}: key columns in order (INCLUDE columns left out),
     * direction from bit 1 of {@code indoption}, uniqueness and {@code indisvalid}. The primary key is
     * left out. Expression columns come back as their expression text, so they never match a column.
     */
    @Override
    public List<LiveIndex> readIndexes(Connection connection, String table) throws SQLException {
        String sql = """
                SELECT i.relname, ix.indisunique, ix.indisvalid, k.ord,
                       pg_get_indexdef(ix.indexrelid, k.ord::int, true) AS column_name,
                       (ix.indoption[k.ord - 1] & 1) = 1 AS descending
                FROM pg_index ix
                JOIN pg_class t ON t.oid = ix.indrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                JOIN pg_class i ON i.oid = ix.indexrelid
                CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                WHERE t.relname = ? AND n.nspname = current_schema()
                  AND NOT ix.indisprimary AND k.ord <= ix.indnkeyatts
                ORDER BY i.relname, k.ord""";
        Map<String, List<IndexColumn>> columns = new LinkedHashMap<>();
        Map<String, boolean[]> flags = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    flags.putIfAbsent(name, new boolean[] {rs.getBoolean(2), rs.getBoolean(3)});
                    columns.computeIfAbsent(name, n -> new ArrayList<>())
                            .add(new IndexColumn(rs.getString(5), rs.getBoolean(6)));
                }
            }
        }
        List<LiveIndex> out = new ArrayList<>(columns.size());
        columns.forEach((name, cols) -> out.add(new LiveIndex(name, cols, flags.get(name)[0], flags.get(name)[1])));
        return out;
    }

    /** Looks in the connection's {@code current_schema()}, as {@link #readIndexes} does. */
    @Override
    public boolean tableExists(Connection connection, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE c.relname = ? AND n.nspname = current_schema() AND c.relkind IN ('r', 'p')")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
