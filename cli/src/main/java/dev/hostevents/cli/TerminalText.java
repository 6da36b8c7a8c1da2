package dev.hostevents.cli;

/**
 * Text read from the database (or quoted from it in an error), made safe to print on a terminal.
 * Rows may have been written by another application, so a title can carry {@code ESC ] 0 ; … BEL}
 * (retitles the window), {@code ESC [ 2 J} (clears the screen) or a bidi override that makes a line
 * read differently from what it holds. Every such character is shown as a {@code \}{@code uXXXX}
 * escape instead of being sent to the terminal.
 */
final class TerminalText {
    private TerminalText() {
    }

    /**
     * True for the characters a terminal may act on rather than show: C0 controls (tab and line
     * breaks too), DEL, C1 controls, the line and paragraph separators, the bidi embedding, override
     * and isolate controls (U+202A–U+202E, U+2066–U+2069) and the bidi marks (U+200E, U+200F, U+061C).
     */
    static boolean isUnsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e' || c == '\u200f' || c == '\u061c';
    }

    /** One field for one line: every unsafe character escaped, line breaks included. */
    static String field(String text) {
        return escape(text, false);
    }

    /**
     * A block of lines (a query plan, a stack trace): line feeds and tabs kept as they are, every other
     * unsafe character escaped.
     */
    static String lines(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepLayout) {
        if (text == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = isUnsafe(c) && !(keepLayout && (c == '\n' || c == '\t'));
            if (unsafe && b == null) {
                b = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (b != null) {
                if (unsafe) {
                    b.append(unicodeEscape(c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? text : b.toString();
    }

    /** {@code \}{@code u001b} for ESC: the form JSON and Java use too. */
    static String unicodeEscape(char c) {
        return String.format("\\u%04x", (int) c);
    }
}
