package dev.hostevents;

import java.util.Optional;

/**
 * A keyset page request: a page size and, after the first page, the cursor the previous page
 * returned. Immutable.
 */
public final class PageRequest {
    private final int limit;
    private final String cursor;

    private PageRequest(int limit, String cursor) {
        this.limit = EventStore.checkLimit(limit);
        this.cursor = cursor;
    }

    /** The first page, newest events first. */
    public static PageRequest first(int limit) {
        return new PageRequest(limit, null);
    }

    /**
     * The page after the one that returned {@code cursor}.
     *
     * @throws ValidationException naming {@code cursor} when it is missing
     */
    public static PageRequest after(String cursor, int limit) {
        if (cursor == null || cursor.isBlank()) {
            throw new ValidationException("cursor", "is required for a next page (use PageRequest.first for the first)");
        }
        return new PageRequest(limit, cursor.strip());
    }

    /** Page size, 1–100. */
    public int limit() {
        return limit;
    }

    /** The cursor, empty for the first page. */
    public Optional<String> cursor() {
        return Optional.ofNullable(cursor);
    }

    @Override
    public String toString() {
        return "PageRequest[limit=" + limit + (cursor == null ? ", first" : ", after cursor") + "]";
    }
}
