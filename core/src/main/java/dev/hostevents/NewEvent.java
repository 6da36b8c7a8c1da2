package dev.hostevents;

/**
 * What a caller gives to {@link EventStore#create(NewEvent)}. Only the title is required: a missing
 * slug is derived from the title, a missing host code is generated. {@link #toString()} masks the
 * host code.
 *
 * @param title required, 1–200 characters after trimming
 * @param slug optional; {@code ^[a-z0-9]+(-[a-z0-9]+)*$}, 3–50 characters, unique
 * @param description optional; at most 1000 characters
 * @param hostCode optional; {@code host_} + 12 letters or digits, trimmed and lower-cased
 */
public record NewEvent(String title, String slug, String description, String hostCode) {

    /** An event with only a title: slug derived, host code generated. */
    public static NewEvent titled(String title) {
        return new NewEvent(title, null, null, null);
    }

    /** This event for the given host. */
    public NewEvent withHostCode(String code) {
        return new NewEvent(title, slug, description, code);
    }

    /** This event with a description. */
    public NewEvent withDescription(String text) {
        return new NewEvent(title, slug, text, hostCode);
    }

    /** This event with an explicit slug. */
    public NewEvent withSlug(String value) {
        return new NewEvent(title, value, description, hostCode);
    }

    @Override
    public String toString() {
        return "NewEvent[title=" + title + ", slug=" + slug + ", hostCode="
                + (hostCode == null ? "(generate)" : HostCodes.mask(hostCode)) + "]";
    }
}
