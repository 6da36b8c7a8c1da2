package dev.hostevents.spi;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.table;

import dev.hostevents.HostEventsException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.Condition;
import org.jooq.CreateIndexStep;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.OrderField;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Everything that differs between databases, as named capabilities. A dialect module implements this
 * interface and lists the class in {@code META-INF/services/dev.hostevents.spi.Dialect}; putting its
 * jar on the class path is all a user does. {@link Dialects} picks the dialect whose
 * {@link #handles(ServerInfo)} accepts the server, or the one named explicitly.
 *
 * <p>Most methods have a default that is right for a standards-following database (H2 uses them
 * almost all); a dialect overrides only what differs, as a Jdbi plugin does. Implementations must be
 * stateless and thread-safe: one instance serves every store and migrator.
 */
public interface Dialect {

    // ---------------------------------------------------------------- identity

    /** Short name used by {@code --dialect} and {@link Dialects#byName}: {@code h2}, {@code sqlite}, … */
    String name();

    /** Other names accepted by {@link Dialects#byName} (e.g. {@code mariadb} for the MySQL dialect). */
    default List<String> aliases() {
        return List.of();
    }

    /** True when this dialect handles the server (from its product name and version). */
    boolean handles(ServerInfo server);

    /** Among several dialects that handle a server, the highest priority wins. */
    default int priority() {
        return 0;
    }

    /** The jOOQ dialect that renders SQL for this server. */
    SQLDialect sqlDialect(ServerInfo server);

    /**
     * Describes the server behind a connection. The default reads {@link java.sql.DatabaseMetaData};
     * a dialect may refine it (MySQL asks {@code SELECT VERSION()} to tell MariaDB from MySQL).
     */
    default ServerInfo describe(Connection connection) throws SQLException {
        return ServerInfo.from(connection);
    }

    /**
     * The server assumed for offline SQL when no version is given, or the product this dialect names
     * for {@code version} (e.g. {@code mariadb} + {@code 10.2}).
     *
     * @param alias the name the user gave ({@link #name()} or one of {@link #aliases()})
     * @param version the version the user gave, or {@code null} for this dialect's newest
     */
    ServerInfo offlineServer(String alias, String version);

    // ---------------------------------------------------------------- schema

    /** Column type of {@code created_at}: UTC, microsecond precision. Default {@code TIMESTAMP(6)}. */
    default DataType<?> createdAtType(ServerInfo server) {
        return SQLDataType.LOCALDATETIME(6);
    }

    /**
     * Renders the {@code events} table of the initial schema, columns in the contract order
     * {@code id, title, slug, description, short_code, host_code, created_at, is_active}.
     */
    default List<RenderedStatement> createEventsTable(RenderContext ctx) {
        return List.of(ctx.statement(ctx.dsl().createTable(DSL.name("events"))
                .column(DSL.name("id"), SQLDataType.INTEGER.identity(true))
                .column(DSL.name("title"), SQLDataType.VARCHAR(200).nullable(false))
                .column(DSL.name("slug"), SQLDataType.VARCHAR(50).nullable(false))
                .column(DSL.name("description"), SQLDataType.CLOB.nullable(true))
                .column(DSL.name("short_code"), SQLDataType.VARCHAR(20).nullable(false))
                .column(DSL.name("host_code"), SQLDataType.VARCHAR(50).nullable(false))
                .column(DSL.name("created_at"), createdAtType(ctx.server()).nullable(false))
                .column(DSL.name("is_active"), SQLDataType.BOOLEAN.nullable(false).defaultValue(DSL.inline(true)))
                .primaryKey(DSL.name("id"))));
    }

    /**
     * The index this server really has after creating {@code declared}. The default is the declared
     * index; old MySQL/MariaDB return it all-ascending because they drop {@code DESC}.
     */
    default IndexSpec expectedIndex(IndexSpec declared, ServerInfo server) {
        return declared;
    }

    /**
     * A note recorded in the migration log when this server builds {@code declared} differently from
     * its declaration (e.g. "ascending by design on MariaDB 10.2"), or {@code null}.
     */
    default String buildNote(IndexSpec declared, ServerInfo server) {
        return null;
    }

    /** Renders {@code CREATE [UNIQUE] INDEX}; {@code index} is already {@link #expectedIndex adjusted}. */
    default List<RenderedStatement> createIndex(IndexSpec index, RenderContext ctx) {
        OrderField<?>[] keys = index.columns().stream()
                .map(c -> c.descending() ? field(DSL.name(c.name())).desc() : field(DSL.name(c.name())))
                .toArray(OrderField<?>[]::new);
        CreateIndexStep step = index.unique()
                ? ctx.dsl().createUniqueIndex(DSL.name(index.name()))
                : ctx.dsl().createIndex(DSL.name(index.name()));
        return List.of(ctx.statement(step.on(table(DSL.name(index.table())), keys)));
    }

    /** Renders {@code DROP INDEX}. */
    default List<RenderedStatement> dropIndex(IndexSpec index, RenderContext ctx) {
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
        for (String candidate : List.of(table, table.toUpperCase(java.util.Locale.ROOT))) {
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
    default List<String> advice(IndexSpec declared, LiveIndex live, ServerInfo server) {
        return List.of();
    }

    /**
     * The index an earlier server built for {@code declared} by design, recognised from the
     * {@link #buildNote} recorded when the declaring revision was applied. {@code verify} accepts a live
     * index that matches it, and reports {@link #advice} for it instead of drift. Example: MySQL before
     * 8.0 and MariaDB before 10.8 build {@code created_at DESC} ascending; after the server is upgraded
     * the index is still ascending, which is expected (and can be rebuilt), not drift. Default: none.
     *
     * @param buildNote the note of the latest upgrade that applied the revision declaring the index, or
     *     {@code null} when none was recorded
     */
    default java.util.Optional<IndexSpec> indexBuiltByDesign(IndexSpec declared, String buildNote, ServerInfo server) {
        return java.util.Optional.empty();
    }

    // ---------------------------------------------------------------- migration behaviour

    /** True when DDL can be rolled back with the transaction (SQLite, PostgreSQL). */
    default boolean supportsTransactionalDdl() {
        return false;
    }

    /**
     * Takes the lock that keeps two migrators apart for a whole run, waiting up to {@code timeout}.
     * {@code connection} is the migration's own connection (auto-commit on); {@code dataSource} may
     * give a second connection if the lock needs one.
     *
     * @throws dev.hostevents.MigrationLockTimeoutException when the lock is not had in time
     */
    MigrationLock acquireMigrationLock(Connection connection, DataSource dataSource, Duration timeout) throws SQLException;

    /** Starts the transaction of one revision (SQLite: {@code BEGIN IMMEDIATE}, which is also its lock). */
    default void beginRevision(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
    }

    /** Commits the revision's transaction and returns the connection to auto-commit. */
    default void commitRevision(Connection connection) throws SQLException {
        connection.commit();
        connection.setAutoCommit(true);
    }

    /** Rolls the revision's transaction back and returns the connection to auto-commit. */
    default void rollbackRevision(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    /**
     * Called on the migration connection before DDL runs, e.g. PostgreSQL {@code SET lock_timeout}, so
     * DDL never queues behind a long transaction while blocking everyone else.
     */
    default void beforeDdl(Connection connection, Duration lockTimeout) throws SQLException {
    }

    /**
     * Called on the migration connection after each revision, applied or failed (its transaction
     * already committed or rolled back), to undo {@link #beforeDdl}: a pooled connection must go back
     * to the pool as it came (PostgreSQL {@code RESET lock_timeout}).
     */
    default void afterDdl(Connection connection) throws SQLException {
    }

    /** True when the exception means a lock wait timed out. */
    default boolean isLockTimeout(SQLException e) {
        return "HYT00".equals(e.getSQLState()) || "55P03".equals(e.getSQLState());
    }

    /** True when the exception is a unique-constraint violation. */
    default boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }

    // ---------------------------------------------------------------- page query

    /**
     * The ORDER BY of the page queries. Default {@code created_at DESC, id <tie-break>}. A dialect whose
     * planner only recognises an index order that starts at the index's first column (H2) may lead
     * with {@code host_code}: it is fixed by the WHERE clause, so the result is the same.
     */
    default List<org.jooq.SortField<?>> pageOrder(Field<Object> hostCode, Field<Object> createdAt, Field<Object> id,
            TieBreak tieBreak) {
        return List.of(createdAt.desc(), tieBreak == TieBreak.ID_ASC ? id.asc() : id.desc());
    }

    /**
     * The table reference the page queries select from. Default: the table itself. A dialect whose
     * planner picks the wrong index for the page query (H2 prefers the narrower
     * {@code ix_events_host_code} and then sorts) returns it with an index hint. When a hinted query
     * fails because the index is gone ({@link #isMissingIndex}), the store falls back to the plain
     * table for the rest of its life.
     */
    default org.jooq.Table<?> pageQueryTable(org.jooq.Table<?> events, String indexName) {
        return events;
    }

    /** True when the exception says an index named in a hint does not exist. */
    default boolean isMissingIndex(SQLException e) {
        return false;
    }

    /**
     * True when preparing a statement costs a real share of running the page query and the driver
     * caches nothing itself, so the store should keep its read statements prepared on each physical
     * connection and reuse them. sqlite-jdbc parses and plans on every {@code prepareStatement}
     * (measured in {@code bench}: about a fifth of a page-1 call); pgjdbc and the MariaDB driver cache
     * or prepare cheaply. Default {@code false}: prepare and close per call.
     */
    default boolean reusePreparedStatements() {
        return false;
    }

    /** The {@code id} tie-break the composite index gives for free on this server. */
    default TieBreak tieBreak(ServerInfo server) {
        return TieBreak.ID_ASC;
    }

    /**
     * The keyset predicate "after (c, i)" for the page order. The default is the expanded,
     * range-friendly form {@code created_at <= c AND (created_at < c OR id > i)} ({@code id < i} for
     * {@link TieBreak#ID_DESC}), which every database answers as a range on the composite index.
     *
     * @param createdAt the {@code created_at} column
     * @param id the {@code id} column
     * @param afterCreatedAt a parameter for the cursor's {@code created_at} (may be used twice)
     * @param afterId a parameter for the cursor's {@code id}
     */
    default Condition keysetAfter(Field<Object> createdAt, Field<Object> id, Field<Object> afterCreatedAt,
            Field<Object> afterId, TieBreak tieBreak) {
        Condition idAfter = tieBreak == TieBreak.ID_ASC ? id.gt(afterId) : id.lt(afterId);
        return createdAt.le(afterCreatedAt).and(createdAt.lt(afterCreatedAt).or(idAfter));
    }

    /** Binds a {@code created_at} value (UTC, microseconds). Default: a UTC {@link LocalDateTime}. */
    default void bindCreatedAt(PreparedStatement statement, int index, Instant value) throws SQLException {
        statement.setObject(index, LocalDateTime.ofInstant(value, ZoneOffset.UTC));
    }

    /**
     * Reads a {@code created_at} value. Default: a {@link LocalDateTime} taken as UTC.
     *
     * @param rowId the row's id, for the error message when the stored value cannot be read
     */
    default Instant readCreatedAt(ResultSet rs, int column, long rowId) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        if (value == null) {
            throw new HostEventsException("events row id " + rowId + " has no created_at");
        }
        return value.toInstant(ZoneOffset.UTC);
    }

    /** Prepares the insert so that the generated {@code id} can be read back. */
    default PreparedStatement prepareInsert(Connection connection, String sql) throws SQLException {
        return connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
    }

    /**
     * Runs the database's own EXPLAIN on the page query exactly as the store runs it and says whether
     * it reads {@code indexName} in order without sorting.
     *
     * @param sql the page query with {@code ?} placeholders
     * @param binder binds the same values the store would
     */
    PlanReport explain(Connection connection, String sql, StatementBinder binder, String indexName) throws SQLException;
}
