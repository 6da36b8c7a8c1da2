package dev.hostevents.dialect.postgres;

import dev.hostevents.HostEventsException;
import dev.hostevents.spi.PlanReport;
import dev.hostevents.spi.QueryRole;
import dev.hostevents.spi.StatementBinder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * PostgreSQL's side of the store's statements: {@code created_at} bound as text with an explicit UTC
 * offset and read as {@code timestamp} or {@code timestamptz}, {@code RETURNING id}, only
 * {@code 23505} is a unique violation, and {@code EXPLAIN (FORMAT JSON)}. The page order is the SPI's
 * default {@code created_at DESC, id ASC}: PostgreSQL reads the index in order and sorts only rows
 * tied on {@code created_at} (an Incremental Sort), whichever the tie-break.
 */
final class PostgresQueries implements QueryRole {

    /** Fixed width, six fraction digits, explicit UTC offset: read right by timestamp and timestamptz alike. */
    private static final DateTimeFormatter UTC_TEXT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    /** Only {@code 23505 unique_violation}: other integrity errors (23502 not null, …) are not retried. */
    @Override
    public boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /**
     * Binds {@code created_at} as untyped text such as {@code 2025-10-08 20:52:27.123456+00}. The
     * server types the parameter from the column: a {@code timestamp} column ignores the offset (the
     * value is UTC already), a {@code timestamptz} column honours it. Either way the session's
     * {@code TimeZone} plays no part, which a typed {@code LocalDateTime} (converted with it when
     * compared to {@code timestamptz}) could not promise.
     */
    @Override
    public void bindCreatedAt(PreparedStatement statement, int index, Instant value) throws SQLException {
        statement.setObject(index, UTC_TEXT.format(value), Types.OTHER);
    }

    /**
     * Reads {@code timestamp} as a UTC {@link LocalDateTime}; a {@code timestamptz} column (a user's
     * schema may have one) as an {@link OffsetDateTime}, which is an instant whatever the session's
     * {@code TimeZone}.
     */
    @Override
    public Instant readCreatedAt(ResultSet rs, int column, long rowId) throws SQLException {
        Instant value;
        if ("timestamptz".equals(rs.getMetaData().getColumnTypeName(column))) {
            OffsetDateTime odt = rs.getObject(column, OffsetDateTime.class);
            value = odt == null ? null : odt.toInstant();
        } else {
            LocalDateTime ldt = rs.getObject(column, LocalDateTime.class);
            value = ldt == null ? null : ldt.toInstant(ZoneOffset.UTC);
        }
        if (value == null) {
            throw new HostEventsException("events row id " + rowId + " has no created_at");
        }
        return value;
    }

    /** {@code RETURNING id} rather than pgjdbc's {@code RETURNING *} for generated keys. */
    @Override
    public PreparedStatement prepareInsert(Connection connection, String sql) throws SQLException {
        return connection.prepareStatement(sql, new String[] {"id"});
    }

    /**
     * {@code EXPLAIN (FORMAT JSON)} of the exact statement with its parameters bound. The index is
     * used when an Index Scan or Index Only Scan node reads {@code indexName}; the plan sorts when it
     * has a Sort node, or an Incremental Sort whose presorted key does not include {@code created_at}
     * (one on {@code created_at} only orders rows tied on it).
     *
     * <p>When the chosen plan does not read the index in order, the statement is explained again with
     * sorts, sequential and bitmap scans switched off and index scans on ({@code SET LOCAL}, rolled
     * back): if that plan
     * reads the index in order, the planner merely preferred a sort (a small or unknown host, or no
     * statistics yet) and the report is {@link PlanReport#preferredSort()}, with the sort's row
     * estimate and, when {@code events} was never analyzed, {@code run ANALYZE events}.
     */
    @Override
    public PlanReport explain(Connection connection, String sql, StatementBinder binder, String indexName) throws SQLException {
        String json = explainJson(connection, sql, binder);
        ExplainPlan plan = ExplainPlan.parse(json);
        boolean usesIndex = plan.nodes().stream().anyMatch(n -> n.isOrderedScanOf(indexName));
        List<ExplainPlan.Node> sortNodes = plan.nodes().stream().filter(ExplainPlan.Node::isFullSort).toList();
        List<String> sorts = sortNodes.stream().map(ExplainPlan.Node::describe).toList();
        if ((!usesIndex || !sorts.isEmpty()) && indexOrderedPlanExists(connection, sql, binder, indexName)) {
            long estimate = sortNodes.isEmpty() ? 0 : Math.round(sortNodes.get(0).number("Plan Rows"));
            String rows = sortNodes.isEmpty() ? "planner preferred plan: " + plan.outline()
                    : "planner preferred a sort of " + estimate + (estimate == 1 ? " row" : " rows") + " (estimate)";
            return PlanReport.preferred(json, indexName, usesIndex, !sorts.isEmpty(),
                    rows + (neverAnalyzed(connection) ? "; no statistics yet: run ANALYZE events" : ""));
        }
        String detail = usesIndex ? (sorts.isEmpty() ? null : String.join(", ", sorts)) : "plan: " + plan.outline();
        return PlanReport.of(json, indexName, usesIndex, !sorts.isEmpty(), detail);
    }

    private static String explainJson(Connection connection, String sql, StatementBinder binder) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("EXPLAIN (FORMAT JSON) " + sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * Whether the planner can read {@code indexName} in page order when the alternatives are priced out.
     * The settings are {@code SET LOCAL} in a transaction (a savepoint inside the caller's own) that is
     * rolled back, so the session is left as it was.
     */
    private static boolean indexOrderedPlanExists(Connection connection, String sql, StatementBinder binder, String indexName)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        Savepoint savepoint = null;
        if (autoCommit) {
            connection.setAutoCommit(false);
        } else {
            savepoint = connection.setSavepoint();
        }
        try {
            try (Statement s = connection.createStatement()) {
                s.execute("SET LOCAL enable_sort = off");
                s.execute("SET LOCAL enable_seqscan = off");
                s.execute("SET LOCAL enable_bitmapscan = off");
                // Whatever the session switched off, the question is whether such a plan exists at all.
                s.execute("SET LOCAL enable_indexscan = on");
                s.execute("SET LOCAL enable_indexonlyscan = on");
                s.execute("SET LOCAL enable_incremental_sort = on");
            }
            ExplainPlan forced = ExplainPlan.parse(explainJson(connection, sql, binder));
            return forced.nodes().stream().anyMatch(n -> n.isOrderedScanOf(indexName))
                    && forced.nodes().stream().noneMatch(ExplainPlan.Node::isFullSort);
        } finally {
            if (autoCommit) {
                connection.rollback();
                connection.setAutoCommit(true);
            } else {
                connection.rollback(savepoint);
            }
        }
    }

    /** True when {@code events} has never been analyzed, by hand or by autovacuum. */
    private static boolean neverAnalyzed(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT last_analyze IS NULL AND last_autoanalyze IS NULL"
                        + " FROM pg_stat_user_tables WHERE relid = to_regclass('events')")) {
            return !rs.next() || rs.getBoolean(1);
        }
    }
}
