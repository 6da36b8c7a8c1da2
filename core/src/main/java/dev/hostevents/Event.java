package dev.hostevents;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored event. {@link #toString()} masks the host code.
 *
 * @param id generated primary key
 * @param title 1–200 characters
 * @param slug unique, URL-safe
 * @param description up to 1000 characters, or {@code null}
 * @param shortCode unique attendee join code
 * @param hostCode the owning host's secret code (lower case)
 * @param createdAt creation time, UTC, microsecond precision
 * @param active whether the event is active
 */
public record Event(long id, String title, String slug, String description, String shortCode, String hostCode,
        Instant createdAt, boolean active) {
    public Event {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(shortCode, "shortCode");
        Objects.requireNonNull(hostCode, "hostCode");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public String toString() {
        return "Event[id=" + id + ", title=" + title + ", slug=" + slug + ", shortCode=" + shortCode
                + ", hostCode=" + HostCodes.mask(hostCode) + ", createdAt=" + createdAt + ", active=" + active + "]";
    }
}
