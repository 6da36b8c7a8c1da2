package dev.hostevents.bench;

import dev.hostevents.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The best a hand-written loop can do for the page query: one {@link PreparedStatement}, prepared once
 * and reused on one connection; bind, execute, map each row to the same {@link Event} record the
 * store returns. No validation, no connection borrowing, no per-call prepare. This is the baseline of
 * {@code overhead_vs_jdbc}, and it also runs the two sides of {@code index_speedup} so that only the
 * index differs between them.
 */
public final class HandWrittenPageQuery implements AutoCloseable {
    private enum Slot { HOST, LIMIT, OFFSET }

    private final PreparedStatement statement;
    private final BenchDatabase database;
    private final Slot[] slots;

    /**
     * Prepares {@code sql} (the store's own page query, {@code host = ?} plus limit and offset
     * placeholders in the dialect's order) once.
     */
    public HandWrittenPageQuery(Connection connection, String sql, BenchDatabase database) throws SQLException {
        this.statement = connection.prepareStatement(sql);
        this.database = database;
        this.slots = slots(sql);
    }

    /** One page of a host's events, newest first. */
    public List<Event> page(String host, int limit, int offset) throws SQLException {
        for (int i = 0; i < slots.length; i++) {
            switch (slots[i]) {
                case HOST -> statement.setString(i + 1, host);
                case LIMIT -> statement.setInt(i + 1, limit);
                case OFFSET -> statement.setInt(i + 1, offset);
                default -> throw new IllegalStateException();
            }
        }
        try (ResultSet rs = statement.executeQuery()) {
            List<Event> out = new ArrayList<>(limit);
            while (rs.next()) {
                out.add(new Event(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), database.readCreatedAt(rs, 7), rs.getBoolean(8)));
            }
            return out;
        }
    }

    @Override
    public void close() throws SQLException {
        statement.close();
    }

    /**
     * Which value each {@code ?} takes, read from the word before it: dialects differ
     * ({@code limit ? offset ?} on SQLite and MySQL, {@code offset ? rows fetch next ? rows only} on
     * H2 and PostgreSQL). Done once, at construction.
     */
    static Slot[] slots(String sql) {
        List<Slot> out = new ArrayList<>();
        String lower = sql.toLowerCase(Locale.ROOT);
        for (int at = lower.indexOf('?'); at >= 0; at = lower.indexOf('?', at + 1)) {
            String before = lower.substring(0, at).stripTrailing();
            if (before.endsWith("=")) {
                out.add(Slot.HOST);
            } else if (before.endsWith("limit") || before.endsWith("next") || before.endsWith("first")) {
                out.add(Slot.LIMIT);
            } else if (before.endsWith("offset")) {
                out.add(Slot.OFFSET);
            } else {
                throw new IllegalArgumentException("cannot tell what a placeholder of the page query binds");
            }
        }
        return out.toArray(Slot[]::new);
    }
}
