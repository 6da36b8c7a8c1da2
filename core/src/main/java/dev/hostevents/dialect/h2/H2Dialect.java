package dev.hostevents.dialect.h2;

import dev.hostevents.MigrationLockTimeoutException;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.IndexColumn;
import dev.hostevents.spi.LiveIndex;
import dev.hostevents.spi.MigrationLock;
import dev.hostevents.spi.PlanReport;
import dev.hostevents.spi.ServerInfo;
import dev.hostevents.spi.StatementBinder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.SortOrder;
import org.jooq.meta.IndexColumnDefinition;
import org.jooq.meta.IndexDefinition;
import org.jooq.meta.SchemaDefinition;
import org.jooq.meta.TableDefinition;
import org.jooq.meta.h2.H2Database;
import org.jooq.meta.jaxb.SchemaMappingType;

/**
 * H2 2.x. Used for fast tests and for users who embed H2. Behaviour:
 * <ul>
 *   <li>{@code created_at} is {@code TIMESTAMP(6)}; the composite index keeps {@code DESC}; the page
 *       order is {@code created_at DESC, id ASC}.</li>
 *   <li>DDL is not transactional (H2 commits before DDL), so the migrator's idempotent steps repair an
 *       interrupted revision.</li>
 *   <li>Migration lock: a row of {@code hostevents_migration_lock} held {@code FOR UPDATE} by a second
 *       connection for the whole run (DDL on the migration connection would commit and release a
 *       lock held there).</li>
 *   <li>Index directions are read with jooq-meta's {@link H2Database}.</li>
 * </ul>
 */
public final class H2Dialect implements Dialect {
    static final String LOCK_TABLE = "hostevents_migration_lock";

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public boolean handles(ServerInfo server) {
        return server.productKey().equals("h2");
    }

    @Override
    public SQLDialect sqlDialect(ServerInfo server) {
        return SQLDialect.H2;
    }

    @Override
    public ServerInfo offlineServer(String alias, String version) {
        return ServerInfo.of("H2", version == null ? "2.3" : version);
    }

    @Override
    public List<LiveIndex> readIndexes(Connection connection, String table) throws SQLException {
        H2Database db = new H2Database();
        db.setConnection(connection);
        String schemaName = connection.getSchema();
        db.setConfiguredSchemata(List.of(new SchemaMappingType().withInputSchema(schemaName)));
        SchemaDefinition schema = db.getSchema(schemaName);
        if (schema == null) {
            return List.of();
        }
        TableDefinition t = db.getTable(schema, table, true);
        if (t == null) {
            return List.of();
        }
        List<LiveIndex> out = new ArrayList<>();
        for (IndexDefinition index : db.getIndexes(t)) {
            if (index.getName().toUpperCase(Locale.ROOT).startsWith("PRIMARY_KEY")) {
                continue;
            }
            List<IndexColumn> columns = new ArrayList<>();
            for (IndexColumnDefinition c : index.getIndexColumns()) {
                columns.add(new IndexColumn(c.getName(), c.getSortOrder() == SortOrder.DESC));
            }
            out.add(new LiveIndex(index.getName(), columns, index.isUnique(), true));
        }
        return out;
    }

    /**
     * H2 only uses an index for ORDER BY when the sort starts at the index's first column, so the
     * page order leads with {@code host_code} (fixed by the WHERE clause; same rows, same order). H2
     * then reports "index sorted: 2 of 3 columns": it orders only rows tied on {@code created_at} by
     * {@code id}, as PostgreSQL's Incremental Sort does.
     */
    @Override
    public List<org.jooq.SortField<?>> pageOrder(org.jooq.Field<Object> hostCode, org.jooq.Field<Object> createdAt,
            org.jooq.Field<Object> id, dev.hostevents.spi.TieBreak tieBreak) {
        return List.of(hostCode.asc(), createdAt.desc(), id.asc());
    }

    /**
     * H2's cost model prefers the narrower {@code ix_events_host_code} for {@code WHERE host_code = ?}
     * when all columns are selected, and then sorts, whatever the ORDER BY; {@code USE INDEX} makes it
     * read the composite index in order. If the index is dropped (downgrade), the hinted query fails
     * with error 42112 and the store falls back to the plain query.
     */
    @Override
    public org.jooq.Table<?> pageQueryTable(org.jooq.Table<?> events, String indexName) {
        return org.jooq.impl.DSL.table("{0} USE INDEX ({1})", events, org.jooq.impl.DSL.name(indexName));
    }

    /** H2 error 42112: INDEX_NOT_FOUND_1. */
    @Override
    public boolean isMissingIndex(SQLException e) {
        return e.getErrorCode() == 42112;
    }

    @Override
    public MigrationLock acquireMigrationLock(Connection connection, DataSource dataSource, Duration timeout) throws SQLException {
        // Create the lock row only when it is missing: touching it (MERGE) would queue behind the
        // migrator that holds it and fail on H2's session lock timeout instead of waiting below.
        try (Statement s = connection.createStatement()) {
            if (!tableExists(connection, LOCK_TABLE)) {
                s.execute("CREATE TABLE IF NOT EXISTS " + LOCK_TABLE + " (id INT PRIMARY KEY)");
            }
            boolean present;
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + LOCK_TABLE + " WHERE id = 1")) {
                present = rs.next() && rs.getInt(1) == 1;
            }
            if (!present) {
                try {
                    s.execute("INSERT INTO " + LOCK_TABLE + " (id) VALUES (1)");
                } catch (SQLException e) {
                    if (!isUniqueViolation(e)) {
                        throw e;
                    }
                }
            }
        }
        Connection holder = dataSource.getConnection();
        try {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("SET LOCK_TIMEOUT " + Math.max(1, timeout.toMillis()));
                s.executeQuery("SELECT id FROM " + LOCK_TABLE + " WHERE id = 1 FOR UPDATE").close();
            }
        } catch (SQLException e) {
            holder.close();
            if (isLockTimeout(e)) {
                throw new MigrationLockTimeoutException("another migrator held the migration lock for longer than "
                        + timeout.toMillis() + " ms", e);
            }
            throw e;
        }
        return () -> {
            if (!holder.isClosed()) {
                try {
                    holder.rollback();
                } finally {
                    holder.close();
                }
            }
        };
    }

    @Override
    public PlanReport explain(Connection connection, String sql, StatementBinder binder, String indexName) throws SQLException {
        String plan;
        try (PreparedStatement ps = connection.prepareStatement("EXPLAIN " + sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                StringBuilder b = new StringBuilder();
                while (rs.next()) {
                    b.append(rs.getString(1)).append('\n');
                }
                plan = b.toString().strip();
            }
        }
        String upper = plan.toUpperCase(Locale.ROOT);
        boolean usesIndex = upper.contains("." + indexName.toUpperCase(Locale.ROOT) + ":")
                || upper.contains(" " + indexName.toUpperCase(Locale.ROOT) + ":");
        // H2 marks an ORDER BY answered by the index with "/* index sorted */", or "index sorted: 2 of 3
        // columns" when only ties on the leading keys are ordered (like an Incremental Sort). Fewer
        // than the index's two key columns means it sorts the host's rows.
        boolean sorts = upper.contains("ORDER BY") && !upper.matches("(?s).*INDEX SORTED(: [2-9]\\d* OF \\d+ COLUMNS)? \\*/.*");
        return PlanReport.of(plan, indexName, usesIndex, sorts, usesIndex ? null : "plan: " + plan.replace('\n', ' '));
    }
}
