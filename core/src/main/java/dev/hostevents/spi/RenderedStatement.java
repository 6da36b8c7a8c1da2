package dev.hostevents.spi;

import java.util.Objects;

/**
 * One SQL statement of a migration step, rendered for a dialect with literals inlined.
 *
 * @param sql the statement, without a trailing semicolon
 * @param outsideTransaction true when the statement must run in auto-commit mode, outside any
 *     transaction block (PostgreSQL {@code CREATE INDEX CONCURRENTLY})
 * @param comment an optional note printed above the statement in offline SQL, or {@code null}
 */
public record RenderedStatement(String sql, boolean outsideTransaction, String comment) {
    public RenderedStatement {
        Objects.requireNonNull(sql, "sql");
    }

    /** A statement that can run inside the revision's transaction. */
    public static RenderedStatement of(String sql) {
        return new RenderedStatement(sql, false, null);
    }
}
