package dev.hostevents.dialect.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Query results printed the way the sqlite3 shell prints them: one line per row, columns joined by '|'. */
final class Pragmas {
    private Pragmas() {
    }

    /** Rows of {@code sql} as the shell prints them ({@code NULL} as an empty string, as the shell does). */
    static List<String> rows(DataSource ds, String sql, Object... args) {
        try (Connection c = ds.getConnection()) {
            return rows(c, sql, args);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static List<String> rows(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    StringBuilder line = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        if (i > 1) {
                            line.append('|');
                        }
                        String v = rs.getString(i);
                        line.append(v == null ? "" : v);
                    }
                    out.add(line.toString());
                }
                return out;
            }
        }
    }

    /** Runs statements in order on one connection, each in auto-commit mode. */
    static void execute(DataSource ds, String... statements) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The single number {@code sql} returns. */
    static long number(DataSource ds, String sql) {
        return Long.parseLong(rows(ds, sql).get(0));
    }
}
