package dev.hostevents;

import java.util.List;
import java.util.Optional;

/**
 * One keyset page: events newest first, and the cursor of the next page when there is one.
 *
 * @param events the events of this page, at most the requested limit
 * @param nextCursor opaque cursor for {@link PageRequest#after(String, int)}, empty on the last page
 */
public record Page(List<Event> events, Optional<String> nextCursor) {
    public Page {
        events = List.copyOf(events);
    }

    /** True when there is a page after this one. */
    public boolean hasNext() {
        return nextCursor.isPresent();
    }
}
