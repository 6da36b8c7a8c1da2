package dev.hostevents.migration;

import dev.hostevents.spi.IndexSpec;
import dev.hostevents.spi.LiveIndex;
import dev.hostevents.spi.SchemaRole;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The live schema as a migration step sees it: read through the dialect's {@link SchemaRole} on the
 * migration's own connection, at the moment the step is about to run. Not cached: a step sees what
 * the steps before it did.
 */
public final class LiveCatalog {
    private final Connection connection;
    private final SchemaRole schema;

    LiveCatalog(Connection connection, SchemaRole schema) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    /** True when the table exists in the connection's current schema. */
    public boolean tableExists(String table) throws SQLException {
        return schema.tableExists(connection, table);
    }

    /** The table's indexes with their real directions; empty when the table does not exist. */
    public List<LiveIndex> indexes(String table) throws SQLException {
        return tableExists(table) ? schema.readIndexes(connection, table) : List.of();
    }

    /** The live index with the name of {@code index} on its table, if there is one. */
    public Optional<LiveIndex> index(IndexSpec index) throws SQLException {
        return indexes(index.table()).stream().filter(i -> i.name().equals(index.name())).findFirst();
    }

    /** Number of rows of a table that exists. */
    public long rowCount(String table) throws SQLException {
        if (!table.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain table name: " + table);
        }
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
