package dev.hostevents.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Just enough of a JSON reader to check report.json's structure (strict: trailing garbage fails). */
final class MiniJson {
    private final String s;
    private int at;

    private MiniJson(String s) {
        this.s = s;
    }

    static Object parse(String text) {
        MiniJson p = new MiniJson(text);
        Object v = p.value();
        p.space();
        if (p.at != text.length()) {
            throw new IllegalArgumentException("trailing text at " + p.at);
        }
        return v;
    }

    private Object value() {
        space();
        char c = s.charAt(at);
        switch (c) {
            case '{': {
                Map<String, Object> m = new LinkedHashMap<>();
                at++;
                space();
                if (s.charAt(at) == '}') {
                    at++;
                    return m;
                }
                while (true) {
                    space();
                    String k = string();
                    space();
                    expect(':');
                    m.put(k, value());
                    space();
                    if (s.charAt(at) == ',') {
                        at++;
                    } else {
                        expect('}');
                        return m;
                    }
                }
            }
            case '[': {
                List<Object> l = new ArrayList<>();
                at++;
                space();
                if (s.charAt(at) == ']') {
                    at++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    space();
                    if (s.charAt(at) == ',') {
                        at++;
                    } else {
                        expect(']');
                        return l;
                    }
                }
            }
            case '"':
                return string();
            default:
                if (s.startsWith("true", at)) {
                    at += 4;
                    return Boolean.TRUE;
                }
                if (s.startsWith("false", at)) {
                    at += 5;
                    return Boolean.FALSE;
                }
                if (s.startsWith("null", at)) {
                    at += 4;
                    return null;
                }
                int start = at;
                while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) {
                    at++;
                }
                return Double.parseDouble(s.substring(start, at));
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (s.charAt(at) != '"') {
            char c = s.charAt(at++);
            if (c == '\\') {
                char e = s.charAt(at++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
        at++;
        return sb.toString();
    }

    private void expect(char c) {
        if (s.charAt(at) != c) {
            throw new IllegalArgumentException("expected " + c + " at " + at);
        }
        at++;
    }

    private void space() {
        while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
            at++;
        }
    }
}
