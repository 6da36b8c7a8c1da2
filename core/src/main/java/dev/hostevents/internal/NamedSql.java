package dev.hostevents.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.Query;

/**
 * A query rendered once by jOOQ with named parameters, turned into JDBC SQL with {@code ?} and the
 * parameter names in bind order. Dialects order binds differently ({@code LIMIT ? OFFSET ?} against
 * {@code OFFSET ? ROWS FETCH NEXT ? ROWS ONLY}); reading the order from jOOQ's own output keeps us
 * right on all of them without rendering per call.
 *
 * @param sql JDBC SQL
 * @param params parameter names, one per {@code ?}, in order
 */
public record NamedSql(String sql, List<String> params) {
    private static final Pattern NAMED = Pattern.compile(":([a-z_]+)");

    public static NamedSql render(DSLContext dsl, Query query) {
        String named = dsl.renderNamedParams(query);
        Matcher m = NAMED.matcher(named);
        StringBuilder sql = new StringBuilder();
        List<String> params = new ArrayList<>();
        while (m.find()) {
            params.add(m.group(1));
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        return new NamedSql(sql.toString(), List.copyOf(params));
    }

    /** Positions (1-based) of each parameter kind, resolved against the given names in order. */
    public <E extends Enum<E>> E[] order(Class<E> kinds) {
        @SuppressWarnings("unchecked")
        E[] out = (E[]) java.lang.reflect.Array.newInstance(kinds, params.size());
        for (int i = 0; i < params.size(); i++) {
            out[i] = Enum.valueOf(kinds, params.get(i).toUpperCase(java.util.Locale.ROOT));
        }
        return out;
    }
}
