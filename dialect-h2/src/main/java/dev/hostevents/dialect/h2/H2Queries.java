package dev.hostevents.dialect.h2;

import dev.hostevents.spi.PlanReport;
import dev.hostevents.spi.QueryRole;
import dev.hostevents.spi.StatementBinder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.jooq.Field;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.impl.DSL;

/** H2's page order, index hint and EXPLAIN check; the rest is the SPI's default. */
final class H2Queries implements QueryRole {

    /**
     * H2 only uses an index for ORDER BY when the sort starts at the index's first column, so the
     * page order leads with {@code host_code} (fixed by the WHERE clause; same rows, same order). H2
     * then reports "index sorted: 2 of 3 columns": it orders only rows tied on {@code created_at} by
     * {@code id}, as PostgreSQL's Incremental Sort does.
     */
    @Override
    public List<SortField<?>> pageOrder(Field<Object> hostCode, Field<Object> createdAt, Field<Object> id) {
        return List.of(hostCode.asc(), createdAt.desc(), id.asc());
    }

    /**
     * H2's cost model prefers the narrower {@code ix_events_host_code} for {@code WHERE host_code = ?}
     * when all columns are selected, and then sorts, whatever the ORDER BY; {@code USE INDEX} makes it
     * read the composite index in order. If the index is dropped (downgrade), the hinted query fails
     * with error 42112 and the store falls back to the plain query.
     */
    @Override
    public Table<?> pageQueryTable(Table<?> events, String indexName) {
        return DSL.table("{0} USE INDEX ({1})", events, DSL.name(indexName));
    }

    /** H2 error 42112: INDEX_NOT_FOUND_1. */
    @Override
    public boolean isMissingIndex(SQLException e) {
        return e.getErrorCode() == 42112;
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
