package dev.hostevents.spi;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Binds the parameters of a prepared statement; lets a dialect EXPLAIN the exact query the store runs. */
@FunctionalInterface
public interface StatementBinder {
    void bind(PreparedStatement statement) throws SQLException;
}
