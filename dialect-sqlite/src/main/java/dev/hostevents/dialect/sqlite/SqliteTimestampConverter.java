package dev.hostevents.dialect.sqlite;

import dev.hostevents.HostCodes;
import dev.hostevents.HostEventsException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.jooq.Converter;

/**
 * {@code created_at} as SQLite stores it: TEXT {@code YYYY-MM-DD HH:MM:SS.ffffff} in UTC, always six
 * fraction digits, the form SQLAlchemy writes for a {@code DATETIME} column. Fixed width makes text
 * order time order, so {@code ORDER BY created_at} and the keyset comparison work on the stored text.
 *
 * <p>Reading also accepts the shorter forms SQLAlchemy or a person may have written and normalises
 * them: no fraction ({@code 2025-10-08 20:52:27}), fewer digits ({@code .5}), a {@code T} separator,
 * a trailing {@code Z} or {@code +00:00}, and up to nine fraction digits (truncated to microseconds,
 * the precision the library stores). Anything else, including a non-UTC offset (its text would sort in
 * the wrong place), is an error rather than a silently wrong order.
 *
 * <p>The store uses {@link #format(Instant)} and {@link #parse(String, long)} directly on its JDBC hot
 * path. The class is also a jOOQ {@link Converter} for applications that read the {@code events} table
 * with jOOQ themselves:
 * <pre>{@code
 * Field<Instant> createdAt = DSL.field(DSL.name("created_at"),
 *         SQLDataType.VARCHAR.asConvertedDataType(SqliteTimestampConverter.INSTANCE));
 * }</pre>
 */
public final class SqliteTimestampConverter implements Converter<String, Instant> {
    private static final long serialVersionUID = 1L;

    /** The shared instance; the converter has no state. */
    public static final SqliteTimestampConverter INSTANCE = new SqliteTimestampConverter();

    /** Length of the canonical form {@code YYYY-MM-DD HH:MM:SS.ffffff}. */
    static final int CANONICAL_LENGTH = 26;

    /** Longest text quoted back in an error message. */
    private static final int QUOTE_MAX = 40;

    private SqliteTimestampConverter() {
    }

    /**
     * The canonical text of an instant: UTC, microseconds, six fraction digits (sub-microsecond digits
     * are truncated).
     *
     * @param instant the time to store
     * @return 26 characters, {@code YYYY-MM-DD HH:MM:SS.ffffff}
     * @throws HostEventsException when the year is outside 0000–9999, which the fixed-width form cannot hold
     */
    public static String format(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            throw new HostEventsException("created_at " + instant + " is outside the years 0000-9999 that SQLite's text form holds");
        }
        char[] out = new char[CANONICAL_LENGTH];
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, t.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, t.getDayOfMonth(), 2);
        out[10] = ' ';
        digits(out, 11, t.getHour(), 2);
        out[13] = ':';
        digits(out, 14, t.getMinute(), 2);
        out[16] = ':';
        digits(out, 17, t.getSecond(), 2);
        out[19] = '.';
        digits(out, 20, t.getNano() / 1_000, 6);
        return new String(out);
    }

    /**
     * Reads a stored {@code created_at}, accepting the shorter forms described on the class.
     *
     * @param text the stored text
     * @param rowId the row's id, named in the error message
     * @return the instant, at microsecond precision
     * @throws HostEventsException naming the row id when the text is missing or not a UTC timestamp
     */
    public static Instant parse(String text, long rowId) {
        if (text == null) {
            throw new HostEventsException("events row id " + rowId + " has no created_at");
        }
        Instant value = tryParse(text);
        if (value == null) {
            throw new HostEventsException("events row id " + rowId + " has a created_at that is not a UTC timestamp: "
                    + quote(text) + problem(text));
        }
        return value;
    }

    /**
     * Reads a {@code created_at} text that belongs to no known row (jOOQ's {@link #from}).
     *
     * @param text the stored text
     * @return the instant, at microsecond precision
     * @throws HostEventsException when the text is not a UTC timestamp
     */
    public static Instant parse(String text) {
        Instant value = text == null ? null : tryParse(text);
        if (value == null) {
            throw new HostEventsException("created_at is not a UTC timestamp: " + quote(text) + problem(text));
        }
        return value;
    }

    /** {@inheritDoc} {@code null} stays {@code null}; anything unreadable throws {@link HostEventsException}. */
    @Override
    public Instant from(String databaseObject) {
        return databaseObject == null ? null : parse(databaseObject);
    }

    /** {@inheritDoc} Writes the canonical six-digit form; {@code null} stays {@code null}. */
    @Override
    public String to(Instant userObject) {
        return userObject == null ? null : format(userObject);
    }

    @Override
    public Class<String> fromType() {
        return String.class;
    }

    @Override
    public Class<Instant> toType() {
        return Instant.class;
    }

    // ------------------------------------------------------------------ parsing

    /** The instant, or {@code null} when the text is not one of the accepted forms. */
    private static Instant tryParse(String s) {
        int n = s.length();
        if (n < 19 || !isDigits(s, 0, 4) || s.charAt(4) != '-' || !isDigits(s, 5, 7) || s.charAt(7) != '-'
                || !isDigits(s, 8, 10) || (s.charAt(10) != ' ' && s.charAt(10) != 'T')
                || !isDigits(s, 11, 13) || s.charAt(13) != ':' || !isDigits(s, 14, 16) || s.charAt(16) != ':'
                || !isDigits(s, 17, 19)) {
            return null;
        }
        int pos = 19;
        int nanos = 0;
        if (pos < n && s.charAt(pos) == '.') {
            int start = ++pos;
            while (pos < n && isDigit(s.charAt(pos))) {
                pos++;
            }
            int count = pos - start;
            if (count == 0 || count > 9) {
                return null;
            }
            nanos = number(s, start, pos);
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
            nanos -= nanos % 1_000; // microseconds are what the library stores and compares
        }
        String zone = s.substring(pos);
        if (!zone.isEmpty() && !zone.equals("Z") && !zone.equals("+00:00")) {
            return null;
        }
        try {
            return LocalDateTime.of(number(s, 0, 4), number(s, 5, 7), number(s, 8, 10), number(s, 11, 13),
                    number(s, 14, 16), number(s, 17, 19), nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null; // e.g. month 13 or 24:00:00
        }
    }

    /** A hint for the two mistakes worth naming; empty otherwise. */
    private static String problem(String text) {
        if (text != null && text.length() > 19 && text.matches(".*[+-]\\d\\d:?\\d\\d$")) {
            return " (a time-zone offset other than UTC: stored text must be UTC so that text order is time order)";
        }
        return " (expected YYYY-MM-DD HH:MM:SS[.ffffff] in UTC)";
    }

    private static String quote(String text) {
        if (text == null) {
            return "null";
        }
        String shown = text.length() > QUOTE_MAX ? text.substring(0, QUOTE_MAX) + "…" : text;
        // Whatever is in the column goes into the message: mask anything that looks like a host code.
        return "'" + HostCodes.maskAll(shown) + "'";
    }

    private static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int number(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
