package dev.hostevents.spi;

/**
 * Direction of the {@code id} tie-break after {@code created_at DESC} in the page query: the one the
 * dialect's index gives without a sort.
 */
public enum TieBreak {
    /** {@code ORDER BY created_at DESC, id ASC}: SQLite, H2, MySQL 8 / MariaDB 10.8+ with a real DESC index. */
    ID_ASC,
    /** {@code ORDER BY created_at DESC, id DESC}: a backward scan of an ascending index (old MySQL/MariaDB). */
    ID_DESC
}
