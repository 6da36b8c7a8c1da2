package dev.hostevents.cli;

import dev.hostevents.Event;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The tool's JSON output: a string escaper (RFC 8259; everything {@link TerminalText#isUnsafe} names is
 * escaped too, so the output is plain text on a terminal) and the shape of an event. Small on purpose;
 * the tool writes a handful of flat objects and never reads JSON.
 */
final class Json {
    /** {@code created_at} as printed everywhere: UTC, always six fraction digits. */
    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Json() {
    }

    /** A JSON string literal, quotes included; {@code null} gives {@code null}. */
    static String string(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    // Control characters must be escaped; U+2028/2029 too, so the output is also valid JavaScript;
                    // DEL, C1 and bidi controls may be raw in JSON, but not on the terminal the JSON is printed to.
                    if (TerminalText.isUnsafe(c)) {
                        b.append(TerminalText.unicodeEscape(c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** An instant in the tool's timestamp format. */
    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /**
     * An event as a JSON object. The host code is included only when asked: the tool prints it once,
     * when the event is created.
     */
    static String event(Event e, boolean withHostCode) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"id\":").append(e.id());
        b.append(",\"title\":").append(string(e.title()));
        b.append(",\"slug\":").append(string(e.slug()));
        b.append(",\"description\":").append(string(e.description()));
        b.append(",\"short_code\":").append(string(e.shortCode()));
        if (withHostCode) {
            b.append(",\"host_code\":").append(string(e.hostCode()));
        }
        b.append(",\"created_at\":").append(string(timestamp(e.createdAt())));
        b.append(",\"is_active\":").append(e.active());
        return b.append('}').toString();
    }

    /** Events as a JSON array, without host codes. */
    static String events(List<Event> events) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < events.size(); i++) {
            b.append(i == 0 ? "" : ",").append(event(events.get(i), false));
        }
        return b.append(']').toString();
    }
}
