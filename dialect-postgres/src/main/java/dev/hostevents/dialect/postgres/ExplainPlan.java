package dev.hostevents.dialect.postgres;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A PostgreSQL {@code EXPLAIN (FORMAT JSON)} plan, flattened to its nodes.
 *
 * <p>The JSON is read by the small reader below rather than a JSON library: the module would
 * otherwise bring a library (and its versions) to every user's class path for one call that only a
 * diagnostic uses, and the server's output is machine-made, well-formed JSON of a few kilobytes.
 */
final class ExplainPlan {
    private final List<Node> nodes;
    private final Node root;

    private ExplainPlan(Node root) {
        this.root = root;
        List<Node> all = new ArrayList<>();
        collect(root, all);
        this.nodes = List.copyOf(all);
    }

    /** Parses the single value of {@code EXPLAIN (FORMAT JSON)}: {@code [{"Plan": {...}, ...}]}. */
    static ExplainPlan parse(String json) {
        Object value = new Reader(json).readDocument();
        if (!(value instanceof List<?> list) || list.isEmpty() || !(list.get(0) instanceof Map<?, ?> top)
                || !(top.get("Plan") instanceof Map<?, ?> plan)) {
            throw new IllegalArgumentException("not an EXPLAIN (FORMAT JSON) document");
        }
        return new ExplainPlan(new Node(plan));
    }

    private static void collect(Node node, List<Node> into) {
        into.add(node);
        for (Node child : node.children()) {
            collect(child, into);
        }
    }

    /** The top node. */
    Node root() {
        return root;
    }

    /** Every node, depth first from the root. */
    List<Node> nodes() {
        return nodes;
    }

    /** One line for messages: {@code Limit > Incremental Sort [created_at] > Index Scan idx_… (Forward)}. */
    String outline() {
        StringBuilder b = new StringBuilder();
        for (Node n : nodes) {
            if (b.length() > 0) {
                b.append(" > ");
            }
            b.append(n.describe());
        }
        return b.toString();
    }

    /** One plan node: its own properties; children under {@code Plans}. */
    static final class Node {
        private final Map<?, ?> properties;

        Node(Map<?, ?> properties) {
            this.properties = properties;
        }

        String nodeType() {
            return string("Node Type");
        }

        /** A property as text ({@code null} when absent); numbers and booleans as the server wrote them. */
        String string(String key) {
            Object v = properties.get(key);
            return v == null ? null : v.toString();
        }

        /** A list property such as {@code Sort Key} or {@code Presorted Key}; empty when absent. */
        List<String> list(String key) {
            Object v = properties.get(key);
            if (v instanceof List<?> l) {
                return l.stream().map(Objects::toString).toList();
            }
            return v == null ? List.of() : List.of(v.toString());
        }

        /** A numeric property, or {@code -1} when absent. */
        double number(String key) {
            Object v = properties.get(key);
            return v instanceof Number n ? n.doubleValue() : -1;
        }

        List<Node> children() {
            Object v = properties.get("Plans");
            if (!(v instanceof List<?> l)) {
                return List.of();
            }
            List<Node> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(new Node((Map<?, ?>) o));
            }
            return out;
        }

        /** An Index Scan or Index Only Scan of the index: it returns rows in the index's order. */
        boolean isOrderedScanOf(String indexName) {
            String type = nodeType();
            return ("Index Scan".equals(type) || "Index Only Scan".equals(type)) && indexName.equals(string("Index Name"));
        }

        /**
         * A Sort, or an Incremental Sort that is not presorted on {@code created_at}: either orders all
         * of the host's rows. An Incremental Sort presorted on {@code created_at} only orders the rows
         * tied on it.
         */
        boolean isFullSort() {
            String type = nodeType();
            if ("Sort".equals(type)) {
                return true;
            }
            return "Incremental Sort".equals(type)
                    && list("Presorted Key").stream().noneMatch(k -> k.equals("created_at") || k.endsWith(".created_at"));
        }

        /** Node type with what identifies it: index and direction of a scan, keys of a sort. */
        String describe() {
            String type = nodeType();
            if (string("Index Name") != null) {
                String direction = string("Scan Direction");
                return type + " " + string("Index Name") + (direction == null ? "" : " (" + direction + ")");
            }
            if (type != null && type.endsWith("Sort")) {
                List<String> presorted = list("Presorted Key");
                return type + " " + list("Sort Key") + (presorted.isEmpty() ? "" : " presorted " + presorted);
            }
            return type;
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /** A minimal recursive JSON reader: objects become {@link LinkedHashMap}, arrays {@link List}. */
    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = Objects.requireNonNull(s, "json");
        }

        Object readDocument() {
            Object v = value();
            skipSpace();
            if (i != s.length()) {
                throw error("trailing characters");
            }
            return v;
        }

        private Object value() {
            skipSpace();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> out = new LinkedHashMap<>();
            i++;
            skipSpace();
            if (peek() == '}') {
                i++;
                return out;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                out.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else {
                    expect('}');
                    return out;
                }
            }
        }

        private List<Object> array() {
            List<Object> out = new ArrayList<>();
            i++;
            skipSpace();
            if (peek() == ']') {
                i++;
                return out;
            }
            while (true) {
                out.add(value());
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else {
                    expect(']');
                    return out;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e); // \" \\ \/
                }
            }
        }

        private Number number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw error("unexpected character '" + s.charAt(i) + "'");
            }
            String text = s.substring(start, i);
            try {
                return text.matches("-?\\d+") ? (Number) Long.valueOf(text) : (Number) Double.valueOf(text);
            } catch (NumberFormatException e) {
                throw error("bad number " + text);
            }
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, i)) {
                throw error("expected " + word);
            }
            i += word.length();
            return value;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad EXPLAIN JSON at offset " + i + ": " + what);
        }
    }
}
