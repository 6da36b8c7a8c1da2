package dev.hostevents.spi;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An index as a migration declares it, or as a dialect expects it to exist on a given server.
 *
 * @param name index name, lower case
 * @param table table name, lower case
 * @param columns key columns in order, with direction
 * @param unique true for a unique index
 */
public record IndexSpec(String name, String table, List<IndexColumn> columns, boolean unique) {
    public IndexSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(table, "table");
        name = name.toLowerCase(Locale.ROOT);
        table = table.toLowerCase(Locale.ROOT);
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new dev.hostevents.ValidationException("index", name + " needs at least one column");
        }
    }

    /** The same index with every column ascending (what an old MySQL/MariaDB actually builds). */
    public IndexSpec allAscending() {
        return new IndexSpec(name, table, columns.stream().map(c -> IndexColumn.asc(c.name())).toList(), unique);
    }

    /** True when some key column is descending. */
    public boolean hasDescendingColumn() {
        return columns.stream().anyMatch(IndexColumn::descending);
    }

    @Override
    public String toString() {
        return (unique ? "unique " : "") + name + " ON " + table + " " + columns;
    }
}
