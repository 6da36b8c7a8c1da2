package dev.hostevents.spi;

import dev.hostevents.HostEventsException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SortField;
import org.jooq.Table;

/**
 * The event store's side of a {@link Dialect}: the page order and its tie-break, the keyset
 * predicate, how {@code created_at} is bound and read, the insert, which write errors are unique
 * violations, and the database's own EXPLAIN. Statements are rendered from these once per store;
 * every default but {@link #explain} is right for a standards-following database.
 */
public interface QueryRole {

    /** The {@code id} tie-break the composite index gives for free on this server. Default {@code id ASC}. */
    default TieBreak tieBreak() {
        return TieBreak.ID_ASC;
    }

    /**
     * The ORDER BY of the page queries. Default {@code created_at DESC, id <tie-break>}. A dialect
     * whose planner only recognises an index order that starts at the index's first column (H2) may
     * lead with {@code host_code}: it is fixed by the WHERE clause, so the result is the same.
     */
    default List<SortField<?>> pageOrder(Field<Object> hostCode, Field<Object> createdAt, Field<Object> id) {
        return List.of(createdAt.desc(), tieBreak() == TieBreak.ID_ASC ? id.asc() : id.desc());
    }

    /**
     * The keyset predicate "after (c, i)" for the page order. The default is the expanded,
     * range-friendly form {@code created_at <= c AND (created_at < c OR id > i)} ({@code id < i} for
     * {@link TieBreak#ID_DESC}), which every database answers as a range on the composite index.
     *
     * @param afterCreatedAt a parameter for the cursor's {@code created_at} (may be used twice)
     * @param afterId a parameter for the cursor's {@code id}
     */
    default Condition keysetAfter(Field<Object> createdAt, Field<Object> id, Field<Object> afterCreatedAt,
            Field<Object> afterId) {
        Condition idAfter = tieBreak() == TieBreak.ID_ASC ? id.gt(afterId) : id.lt(afterId);
        return createdAt.le(afterCreatedAt).and(createdAt.lt(afterCreatedAt).or(idAfter));
    }

    /**
     * The table reference the page queries select from. Default: the table itself. A dialect whose
     * planner picks the wrong index for the page query (H2) returns it with an index hint; when a
     * hinted query fails because the index is gone ({@link #isMissingIndex}), the store falls back to
     * the plain table for the rest of its life.
     */
    default Table<?> pageQueryTable(Table<?> events, String indexName) {
        return events;
    }

    /** True when the exception says an index named in a hint does not exist. */
    default boolean isMissingIndex(SQLException e) {
        return false;
    }

    /**
     * True when preparing a statement costs a real share of running the page query and the driver
     * caches nothing itself, so the store should keep its read statements prepared on each physical
     * connection and reuse them (sqlite-jdbc; measured in {@code bench}). A store may override this
     * with {@code EventStore.Builder#statementReuse}. Default {@code false}: prepare and close per call.
     */
    default boolean reusePreparedStatements() {
        return false;
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
     * The ids of the rows a batch of the insert ({@link #prepareInsert}, then {@code executeBatch})
     * just added, in order. The default reads one generated key per row (pgjdbc, H2 and both MySQL
     * drivers return them all, in order).
     *
     * @param shortCodes the rows' short codes, in order (unique: a dialect may find its rows by them)
     */
    default long[] batchIds(Connection connection, PreparedStatement batch, List<String> shortCodes) throws SQLException {
        long[] ids = new long[shortCodes.size()];
        try (ResultSet keys = batch.getGeneratedKeys()) {
            for (int i = 0; i < ids.length; i++) {
                if (!keys.next()) {
                    throw new SQLException("the driver returned " + i + " generated ids for a batch of " + ids.length);
                }
                ids[i] = keys.getLong(1);
            }
        }
        return ids;
    }

    /**
     * True when an {@code INSERT … SELECT} whose {@code WHERE} reads the same table costs about what a
     * plain insert costs, so the store may guard its insert of a random-suffix slug with a count of the
     * numbered slugs in the same statement (one round trip). MySQL and MariaDB materialize such a
     * statement's {@code SELECT} in a temporary table (the target table appears in it) and take the
     * statement-long AUTO-INC lock of a bulk insert: measured at 4–5x a plain insert there, so they say
     * {@code false} and the store asks which slugs are taken first (two round trips). Default {@code true}.
     */
    default boolean guardedInsertIsCheap() {
        return true;
    }

    /**
     * True when a write failed for a reason that a new attempt of the same transaction can overcome:
     * a serialization failure or a deadlock (SQLState {@code 40001}, PostgreSQL's {@code 40P01}). The
     * store retries its writes on these, a bounded number of times.
     */
    default boolean isTransientWriteFailure(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }

    /**
     * True when the exception is a unique-constraint violation (a taken slug or short code). The
     * default is the SQL standard's SQLState {@code 23505}; other integrity violations (a CHECK, a NOT
     * NULL, a trigger's own error in class 23) are not, and reach the caller as they are.
     */
    default boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /**
     * Which of the library's own unique keys a {@linkplain #isUniqueViolation unique violation} hit:
     * {@code "slug"}, {@code "short_code"}, or {@code null} for any other (an application's own unique
     * index), which the store reports instead of retrying. The default reads the index or column name
     * from the driver's text, as PostgreSQL ({@code "ix_events_slug"}), MySQL and MariaDB
     * ({@code for key 'ix_events_slug'}), SQLite ({@code events.slug}) and H2
     * ({@code PUBLIC.IX_EVENTS_SLUG}) write it; a slug or short code in the same text cannot look like
     * either, as neither holds an underscore or a dot.
     */
    default String violatedUniqueKey(SQLException e) {
        if (!isUniqueViolation(e) || e.getMessage() == null) {
            return null;
        }
        String m = e.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (m.contains("ix_events_short_code") || m.contains("events.short_code")) {
            return "short_code";
        }
        if (m.contains("ix_events_slug") || m.contains("events.slug")) {
            return "slug";
        }
        return null;
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
