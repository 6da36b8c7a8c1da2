package dev.hostevents.internal;

import dev.hostevents.ValidationException;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The field rules of the {@code events} table (DESIGN.md). Every entry point validates before any SQL
 * runs, so bad input is a {@link ValidationException}, never a driver error or a half-stored row.
 */
public final class Validation {
    public static final int TITLE_MAX = 200;
    public static final int DESCRIPTION_MAX = 1000;
    public static final int SLUG_MIN = 3;
    public static final int SLUG_MAX = 50;
    public static final String SLUG_RULE = "must be 3-50 lowercase letters or digits in words joined by single hyphens";
    private static final Pattern SLUG = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
    private static final Pattern NOT_SLUG = Pattern.compile("[^a-z0-9]+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private Validation() {
    }

    /** Trimmed title, 1–200 characters, no control characters. */
    public static String title(String title) {
        if (title == null) {
            throw new ValidationException("title", "is required");
        }
        String t = title.strip();
        if (t.isEmpty()) {
            throw new ValidationException("title", "must not be blank");
        }
        if (t.length() > TITLE_MAX) {
            throw new ValidationException("title", "must be at most " + TITLE_MAX + " characters");
        }
        checkText("title", t, false);
        return t;
    }

    /** Description as given (or {@code null}), at most 1000 characters; tabs and line breaks allowed. */
    public static String description(String description) {
        if (description == null) {
            return null;
        }
        if (description.length() > DESCRIPTION_MAX) {
            throw new ValidationException("description", "must be at most " + DESCRIPTION_MAX + " characters");
        }
        checkText("description", description, true);
        return description;
    }

    /** An explicit slug, trimmed; must already be in slug form. */
    public static String slug(String slug) {
        String s = slug.strip();
        if (s.length() < SLUG_MIN || s.length() > SLUG_MAX || !SLUG.matcher(s).matches()) {
            throw new ValidationException("slug", SLUG_RULE);
        }
        return s;
    }

    /** True when the value is a syntactically valid slug (for look-ups, which never throw on a miss). */
    public static boolean isSlug(String slug) {
        return slug != null && slug.length() >= SLUG_MIN && slug.length() <= SLUG_MAX && SLUG.matcher(slug).matches();
    }

    /**
     * A slug derived from a title: accents folded, lower case, runs of other characters turned into
     * one hyphen, cut to {@code maxLength}. Empty when nothing usable remains.
     */
    public static String slugFromTitle(String title, int maxLength) {
        String folded = MARKS.matcher(Normalizer.normalize(title, Normalizer.Form.NFD)).replaceAll("");
        String s = NOT_SLUG.matcher(folded.toLowerCase(Locale.ROOT)).replaceAll("-");
        s = trimHyphens(s);
        if (s.length() > maxLength) {
            s = trimHyphens(s.substring(0, maxLength));
        }
        return s;
    }

    private static String trimHyphens(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }

    /** Limit of a page: 1..100. */
    public static int limit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw new ValidationException("limit", "must be between 1 and " + max);
        }
        return limit;
    }

    /** Offset of a page: 0..max. */
    public static int offset(int offset, int max) {
        if (offset < 0 || offset > max) {
            throw new ValidationException("offset", "must be between 0 and " + max + " (use a keyset page beyond that)");
        }
        return offset;
    }

    private static void checkText(String field, String value, boolean allowLineBreaks) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new ValidationException(field, "must be valid Unicode text (lone surrogate)");
            }
            if (Character.isLowSurrogate(c)) {
                throw new ValidationException(field, "must be valid Unicode text (lone surrogate)");
            }
            if (Character.isISOControl(c) && !(allowLineBreaks && (c == '\n' || c == '\r' || c == '\t'))) {
                throw new ValidationException(field, allowLineBreaks
                        ? "must not contain control characters other than tab and line breaks"
                        : "must not contain control characters");
            }
        }
    }
}
