package dev.hostevents.dialect.mysql;

import dev.hostevents.spi.PlanReport;
import dev.hostevents.spi.QueryRole;
import dev.hostevents.spi.StatementBinder;
import dev.hostevents.spi.TieBreak;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.Field;

/**
 * The event store's statements on MySQL and MariaDB for one server generation: the tie-break the
 * composite index gives (decided once by {@link MySqlDialectProvider#bind}), the expanded keyset
 * predicate, {@code created_at} bound as text, duplicate-key error codes, and {@code EXPLAIN}.
 */
final class MySqlQueries implements QueryRole {
    /** ER_DUP_KEY, ER_DUP_ENTRY, ER_DUP_ENTRY_WITH_KEY_NAME. */
    private static final Set<Integer> DUPLICATE_KEY = Set.of(1022, 1062, 1586);
    /** Fixed width, six fraction digits: what a {@code DATETIME(6)} literal looks like. */
    private static final DateTimeFormatter DATETIME_TEXT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final TieBreak tieBreak;

    /** @param keepsDesc true when the server builds {@code DESC} index columns descending */
    MySqlQueries(boolean keepsDesc) {
        this.tieBreak = keepsDesc ? TieBreak.ID_ASC : TieBreak.ID_DESC;
    }

    /**
     * No: an {@code INSERT … SELECT} reading {@code events} is materialized in a temporary table and
     * holds the table's AUTO-INC lock for the statement (4.7x a plain insert on 10.2 in the quick report).
     */
    @Override
    public boolean guardedInsertIsCheap() {
        return false;
    }

    /**
     * {@link TieBreak#ID_ASC} where {@code DESC} is kept (InnoDB appends the primary key ascending to the
     * descending index); {@link TieBreak#ID_DESC} on older servers, which read the ascending
     * {@code (host_code, created_at, id)} backwards.
     */
    @Override
    public TieBreak tieBreak() {
        return tieBreak;
    }

    /**
     * The expanded predicate {@code created_at < c OR (created_at = c AND id > i)} ({@code id < i} for
     * {@link TieBreak#ID_DESC}). Both generations turn it into a {@code range} over
     * {@code (host_code, created_at, id)}, which they do not do for a row-value comparison.
     */
    @Override
    public Condition keysetAfter(Field<Object> createdAt, Field<Object> id, Field<Object> afterCreatedAt,
            Field<Object> afterId) {
        Condition idAfter = tieBreak == TieBreak.ID_ASC ? id.gt(afterId) : id.lt(afterId);
        return createdAt.lt(afterCreatedAt).or(createdAt.eq(afterCreatedAt).and(idAfter));
    }

    /**
     * Binds {@code created_at} as the text {@code yyyy-MM-dd HH:mm:ss.ffffff} (UTC wall time), which the
     * server converts to {@code DATETIME(6)} exactly, also inside an index range. A
     * {@link LocalDateTime} would do on most pairs, but mysql-connector-j takes a MariaDB before 11 for
     * MySQL 5.5.5 (the version its handshake reports) and silently drops the fraction of a second.
     */
    @Override
    public void bindCreatedAt(PreparedStatement statement, int index, Instant value) throws SQLException {
        statement.setString(index, DATETIME_TEXT.format(value));
    }

    /**
     * Error 1062 (duplicate entry), or 1022/1586; SQLState {@code 23000} alone would also match a
     * {@code NOT NULL} violation, which no retry can fix.
     */
    @Override
    public boolean isUniqueViolation(SQLException e) {
        return DUPLICATE_KEY.contains(e.getErrorCode());
    }

    /**
     * {@code EXPLAIN} of the query with its binds, plus {@code EXPLAIN FORMAT=JSON} where the server has
     * it. The page query is right when the table's row reads {@code key = indexName} and its
     * {@code Extra} has no {@code Using filesort} (nor {@code Using temporary}). Neither MariaDB's
     * tabular nor its JSON plan says "backward"; MySQL 8 says {@code Backward index scan} in
     * {@code Extra}, which is then shown in the plan.
     */
    @Override
    public PlanReport explain(Connection connection, String sql, StatementBinder binder, String indexName)
            throws SQLException {
        StringBuilder plan = new StringBuilder();
        boolean usesIndex = false;
        boolean sorts = false;
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("EXPLAIN " + sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    String key = null;
                    String extra = null;
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        String label = md.getColumnLabel(i);
                        String value = rs.getString(i);
                        row.append(i == 1 ? "" : " | ").append(label).append('=').append(value);
                        if (label.equalsIgnoreCase("key")) {
                            key = value;
                        } else if (label.equalsIgnoreCase("Extra")) {
                            extra = value;
                        }
                    }
                    plan.append(row).append('\n');
                    keys.add(String.valueOf(key));
                    if (indexName.equalsIgnoreCase(key)) {
                        usesIndex = true;
                    }
                    if (extra != null && (extra.contains("Using filesort") || extra.contains("Using temporary"))) {
                        sorts = true;
                    }
                }
            }
        }
        String json = explainJson(connection, sql, binder);
        if (json != null) {
            plan.append(json).append('\n');
        }
        // The plans quote the bound values, the host code among them: PlanReport masks them.
        return PlanReport.of(plan.toString().strip(), indexName, usesIndex, sorts,
                usesIndex ? null : "key " + keys);
    }

    /** {@code EXPLAIN FORMAT=JSON} (MySQL 5.6+, MariaDB 10.1+); {@code null} where the server lacks it. */
    private static String explainJson(Connection connection, String sql, StatementBinder binder) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("EXPLAIN FORMAT=JSON " + sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == 1064) { // syntax error: a server without FORMAT=JSON
                return null;
            }
            throw e;
        }
    }
}
