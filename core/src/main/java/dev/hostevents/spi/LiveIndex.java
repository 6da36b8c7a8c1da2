package dev.hostevents.spi;

import java.util.List;
import java.util.Locale;

/**
 * An index as read back from a live database's catalog.
 *
 * @param name index name, lower case
 * @param columns key columns in order, with the direction the server really stores
 * @param unique true for a unique index
 * @param valid false when the server marks it unusable (PostgreSQL {@code indisvalid = false} after a
 *     failed {@code CREATE INDEX CONCURRENTLY}); true everywhere else
 */
public record LiveIndex(String name, List<IndexColumn> columns, boolean unique, boolean valid) {
    public LiveIndex {
        name = name.toLowerCase(Locale.ROOT);
        columns = List.copyOf(columns);
    }

    /** True when this live index has exactly the expected columns, directions and uniqueness. */
    public boolean matches(IndexSpec expected) {
        return unique == expected.unique() && columns.equals(expected.columns());
    }

    @Override
    public String toString() {
        return (unique ? "unique " : "") + name + " " + columns + (valid ? "" : " INVALID");
    }
}
