package dev.hostevents.dialect.sqlite;

import static dev.hostevents.dialect.sqlite.SqliteJdbc.primaryCode;
import static dev.hostevents.dialect.sqlite.SqliteJdbc.resultCode;
import static dev.hostevents.dialect.sqlite.SqliteJdbc.sqlite;

import dev.hostevents.HostEventsException;
import dev.hostevents.spi.PlanReport;
import dev.hostevents.spi.QueryRole;
import dev.hostevents.spi.StatementBinder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.sqlite.SQLiteErrorCode;

/**
 * SQLite's side of the store: {@code created_at} as canonical six-digit text, reused prepared
 * statements, generated keys, unique violations from sqlite-jdbc's result codes, and
 * {@code EXPLAIN QUERY PLAN}. The page order and the keyset predicate are the SPI's defaults: the
 * tie-break is {@code id ASC} ({@link dev.hostevents.spi.TieBreak#ID_ASC}) because the composite index
 * ends with the rowid ascending, so this order costs no sort.
 */
final class SqliteQueries implements QueryRole {

    /**
     * sqlite-jdbc parses and plans on every {@code prepareStatement} and caches nothing: preparing was
     * about a third of a page-1 call (bench {@code prepare_cost}). Reusing the page statements per
     * connection brings {@code findByHost} from 1.81x to 1.04x hand-written JDBC (docs/benchmarks.md).
     */
    @Override
    public boolean reusePreparedStatements() {
        return true;
    }

    /** Binds the canonical six-digit text, so the comparison with stored text is a text comparison that orders by time. */
    @Override
    public void bindCreatedAt(PreparedStatement statement, int index, Instant value) throws SQLException {
        statement.setString(index, SqliteTimestampConverter.format(value));
    }

    /** Reads the stored text, normalising shorter forms; unreadable text is an error naming the row id. */
    @Override
    public Instant readCreatedAt(ResultSet rs, int column, long rowId) throws SQLException {
        return SqliteTimestampConverter.parse(rs.getString(column), rowId);
    }

    /**
     * sqlite-jdbc answers {@code getGeneratedKeys()} after a batch for its last row only. The batch
     * runs inside the store's transaction, which holds SQLite's write lock from its first insert, and
     * a rowid table gives each new row {@code max(rowid) + 1}: the ids are the {@code n} ending at
     * {@code last_insert_rowid()}. That is checked (the range must hold exactly the batch's rows, by
     * short code); were it ever not so, the ids are read back by short code.
     */
    @Override
    public long[] batchIds(Connection connection, PreparedStatement batch, java.util.List<String> shortCodes)
            throws SQLException {
        int n = shortCodes.size();
        long last;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
            rs.next();
            last = rs.getLong(1);
        }
        long first = last - n + 1;
        java.util.Map<String, Long> byCode = new java.util.HashMap<>(n * 2);
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, short_code FROM events WHERE id BETWEEN ? AND ?")) {
            ps.setLong(1, first);
            ps.setLong(2, last);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byCode.put(rs.getString(2), rs.getLong(1));
                }
            }
        }
        long[] ids = new long[n];
        boolean contiguous = byCode.size() == n;
        for (int i = 0; i < n && contiguous; i++) {
            Long id = byCode.get(shortCodes.get(i));
            contiguous = id != null && id == first + i;
            ids[i] = contiguous ? id : 0;
        }
        if (contiguous) {
            return ids;
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT id FROM events WHERE short_code = ?")) {
            for (int i = 0; i < n; i++) {
                ps.setString(1, shortCodes.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("a row of the batch is not in the table");
                    }
                    ids[i] = rs.getLong(1);
                }
            }
        }
        return ids;
    }

    /**
     * sqlite-jdbc 3.54 answers {@code getGeneratedKeys()} with {@code SELECT last_insert_rowid()} on the
     * same connection, which is the new {@code id} (the rowid). It can be switched off in its config;
     * then the store could not learn the id, so that is refused with a message naming the setting.
     */
    @Override
    public PreparedStatement prepareInsert(Connection connection, String sql) throws SQLException {
        if (!sqlite(connection).getConnectionConfig().isGetGeneratedKeys()) {
            throw new HostEventsException("this SQLite connection has generated keys switched off"
                    + " (SQLiteConfig.setGetGeneratedKeys(false)); the event store needs them to return the new event's id");
        }
        return connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
    }

    /**
     * {@code SQLITE_CONSTRAINT_UNIQUE} or {@code SQLITE_CONSTRAINT_PRIMARYKEY}. sqlite-jdbc leaves the
     * SQLState {@code null}, so the SPI's default (SQLState class 23) never matches.
     */
    @Override
    public boolean isUniqueViolation(SQLException e) {
        SQLiteErrorCode code = resultCode(e);
        if (code != null) {
            return code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY;
        }
        // Not a sqlite-jdbc exception (a pool may wrap it): fall back to the primary code and the text.
        return primaryCode(e) == SQLiteErrorCode.SQLITE_CONSTRAINT.code && e.getMessage() != null
                && e.getMessage().contains("UNIQUE constraint failed");
    }

    /**
     * {@code EXPLAIN QUERY PLAN} of the query, bound as the store binds it. The plan reads the index when
     * a row says {@code USING INDEX <name>} or {@code USING COVERING INDEX <name>}; it sorts when any row
     * mentions {@code TEMP B-TREE} (the wording after it differs between SQLite versions).
     *
     * <p>{@code EXPLAIN QUERY PLAN} plans against the connection's cached schema without reading the
     * file, so on a long-lived (pooled) connection it can name an index another connection has dropped.
     * A read of {@code sqlite_master} first makes SQLite check the schema cookie and reload.
     */
    @Override
    public PlanReport explain(Connection connection, String sql, StatementBinder binder, String indexName) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM sqlite_master LIMIT 1")) {
            rs.next();
        }
        List<String> lines = new ArrayList<>();
        Map<Integer, Integer> depth = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int id = rs.getInt(1);
                    int level = depth.getOrDefault(rs.getInt(2), -1) + 1;
                    depth.put(id, level);
                    lines.add("  ".repeat(level) + rs.getString(4));
                }
            }
        }
        String plan = String.join("\n", lines);
        Pattern usesIndexPattern = Pattern.compile("USING (COVERING )?INDEX " + Pattern.quote(indexName) + "(\\s|$)",
                Pattern.CASE_INSENSITIVE);
        boolean usesIndex = lines.stream().anyMatch(l -> usesIndexPattern.matcher(l).find());
        String sortLine = lines.stream().filter(l -> l.contains("TEMP B-TREE")).map(String::strip).findFirst().orElse(null);
        String detail = !usesIndex ? "plan: " + plan.replace('\n', ';') : sortLine;
        return PlanReport.of(plan, indexName, usesIndex, sortLine != null, detail);
    }
}
