package dev.hostevents.spi;

import java.util.Locale;
import java.util.Objects;

/**
 * One key column of an index and its direction.
 *
 * @param name column name, lower case
 * @param descending true for {@code DESC}
 */
public record IndexColumn(String name, boolean descending) {
    public IndexColumn {
        Objects.requireNonNull(name, "name");
        name = name.toLowerCase(Locale.ROOT);
    }

    /** An ascending key column. */
    public static IndexColumn asc(String name) {
        return new IndexColumn(name, false);
    }

    /** A descending key column. */
    public static IndexColumn desc(String name) {
        return new IndexColumn(name, true);
    }

    @Override
    public String toString() {
        return name + (descending ? " DESC" : " ASC");
    }
}
