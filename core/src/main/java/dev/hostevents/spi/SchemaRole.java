package dev.hostevents.spi;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.table;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jooq.CreateIndexStep;
import org.jooq.CreateTableElementListStep;
import org.jooq.DataType;
import org.jooq.OrderField;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The schema side of a {@link Dialect}: how migration steps are rendered as DDL on this server, how
 * the live catalog is read back, and what the server really builds when it is asked for an index.
 * Every method has a default that is right for a standards-following database (H2 uses them almost
 * all) except {@link #readIndexes}; a dialect overrides only what differs.
 */
public interface SchemaRole {

    /** Column type of {@code created_at}: UTC, microsecond precision. Default {@code TIMESTAMP(6)}. */
    default DataType<?> createdAtType() {
        return SQLDataType.LOCALDATETIME(6);
    }

    /**
     * Renders the {@code events} table of the initial schema, columns in the contract order
     * {@code id, title, slug, description, short_code, host_code, created_at, is_active}.
     */
    default List<RenderedStatement> createEventsTable(RenderContext ctx) {
        return List.of(ctx.statement(eventsTable(ctx)));
    }

    /**
     * The {@code CREATE TABLE events} of {@link #createEventsTable} as a jOOQ step, so a dialect that
     * only adds table options (MySQL's {@code DEFAULT CHARSET}) extends it instead of copying it.
     */
    default CreateTableElementListStep eventsTable(RenderContext ctx) {
        return ctx.dsl().createTable(DSL.name("events"))
                .column(DSL.name("id"), SQLDataType.INTEGER.identity(true))
                .column(DSL.name("title"), SQLDataType.VARCHAR(200).nullable(false))
                .column(DSL.name("slug"), SQLDataType.VARCHAR(50).nullable(false))
                .column(DSL.name("description"), SQLDataType.CLOB.nullable(true))
                .column(DSL.name("short_code"), SQLDataType.VARCHAR(20).nullable(false))
                .column(DSL.name("host_code"), SQLDataType.VARCHAR(50).nullable(false))
                .column(DSL.name("created_at"), createdAtType().nullable(false))
                .column(DSL.name("is_active"), SQLDataType.BOOLEAN.nullable(false).defaultValue(DSL.inline(true)))
                .primaryKey(DSL.name("id"));
    }

    /**
     * The index this server really has after creating {@code declared}. The default is the declared
     * index; old MySQL/MariaDB return it all-ascending because they drop {@code DESC}.
     */
    default IndexSpec expectedIndex(IndexSpec declared) {
        return declared;
    }

    /**
     * A note recorded in the migration log when this server builds {@code declared} differently from
     * its declaration (e.g. "ascending by design on MariaDB 10.2"), or {@code null}.
     */
    default String buildNote(IndexSpec declared) {
        return null;
    }

    /**
     * Renders {@code CREATE [UNIQUE] INDEX}.
     *
     * @param index the index to build, already {@link #expectedIndex adjusted} to this server
     * @param tableIsNew true when the table was created earlier in the same revision, so nobody can be
     *     writing to it yet (PostgreSQL then builds without {@code CONCURRENTLY}, inside the revision's
     *     transaction)
     */
    default List<RenderedStatement> createIndex(IndexSpec index, boolean tableIsNew, RenderContext ctx) {
        OrderField<?>[] keys = index.columns().stream()
                .map(c -> c.descending() ? field(DSL.name(c.name())).desc() : field(DSL.name(c.name())))
                .toArray(OrderField<?>[]::new);
        CreateIndexStep step = index.unique()
                ? ctx.dsl().createUniqueIndex(DSL.name(index.name()))
                : ctx.dsl().createIndex(DSL.name(index.name()));
        return List.of(ctx.statement(step.on(table(DSL.name(index.table())), keys)));
    }

    /**
     * Renders {@code DROP INDEX}.
     *
     * @param beforeTableDrop true when the same revision drops the table afterwards (no reader needs
     *     protecting: PostgreSQL then drops without {@code CONCURRENTLY})
     */
    default List<RenderedStatement> dropIndex(IndexSpec index, boolean beforeTableDrop, RenderContext ctx) {
        return List.of(ctx.statement(ctx.dsl().dropIndex(DSL.name(index.name())).on(table(DSL.name(index.table())))));
    }

    /**
     * Reads the indexes of a table from the live catalog, with their real column directions. Primary
     * key indexes may be left out.
     */
    List<LiveIndex> readIndexes(Connection connection, String table) throws SQLException;

    /** True when the table exists in the connection's current schema. */
    default boolean tableExists(Connection connection, String table) throws SQLException {
        String catalog = connection.getCatalog();
        String schema = connection.getSchema();
        for (String candidate : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = connection.getMetaData().getTables(catalog, schema, candidate, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Advice that is not drift, e.g. "this server now honours DESC; the index can be rebuilt
     * descending". Called by {@code verify} for each expected index found live.
     */
    default List<String> advice(IndexSpec declared, LiveIndex live) {
        return List.of();
    }

    /**
     * The index an earlier server built for {@code declared} by design, recognised from the
     * {@link #buildNote} recorded when the declaring revision was applied. {@code verify} accepts a
     * live index that matches it, and reports {@link #advice} for it instead of drift. Example: MySQL
     * before 8.0 and MariaDB before 10.8 build {@code created_at DESC} ascending; after the server is
     * upgraded the index is still ascending, which is expected (and can be rebuilt), not drift.
     *
     * @param buildNote the note of the latest upgrade that applied the revision declaring the index,
     *     or {@code null} when none was recorded
     */
    default Optional<IndexSpec> indexBuiltByDesign(IndexSpec declared, String buildNote) {
        return Optional.empty();
    }
}
