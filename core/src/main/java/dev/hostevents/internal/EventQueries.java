package dev.hostevents.internal;

import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.table;

import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.QueryRole;
import dev.hostevents.spi.TieBreak;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SortField;
import org.jooq.Table;

/**
 * Every statement the store runs, rendered once per store for its dialect and server. The hot path
 * then only prepares, binds and maps; it never renders (jOOQ rendering per call was measured at
 * 1.6–2.0x a hand-written statement, see docs).
 */
public final class EventQueries {

    /** Parameter kinds, named as jOOQ renders them. */
    public enum P { HOST, LIMIT, OFFSET, AFTER_CREATED_AT, AFTER_ID, TITLE, SLUG, DESCRIPTION, SHORT_CODE, CREATED_AT, ACTIVE, CANDIDATE }

    /** A rendered statement and its bind order. */
    public record Bound(String sql, P[] params) {
        static Bound of(NamedSql named) {
            return new Bound(named.sql(), named.order(P.class));
        }
    }

    /** Columns in the order the row mapper reads them (1-based in the result set). */
    public static final List<String> COLUMNS =
            List.of("id", "title", "slug", "description", "short_code", "host_code", "created_at", "is_active");

    public final TieBreak tieBreak;
    public final Bound insert;
    public final Bound page;
    public final Bound keysetFirst;
    public final Bound keysetAfter;
    public final Bound count;
    public final Bound byShortCode;
    public final Bound bySlug;
    /**
     * The insert of a slug with a random suffix that happens only while the base and {@code -2} …
     * {@code -9} are all still taken ({@code INSERT … SELECT … WHERE (SELECT COUNT(*) … IN (9
     * candidates)) = 9}): exactly when the allocation rule would choose a random suffix, in one round
     * trip. Inserts nothing otherwise. The count reads the unique slug index, never the table.
     */
    public final Bound insertIfCrowded;
    /** {@code SELECT slug FROM events WHERE slug IN (…)} with {@value #TAKEN_BATCH} parameters (pad with repeats). */
    public final Bound slugsTaken;
    /**
     * The same with {@value #NUMBERED} parameters, for one event's candidates: binding and parsing
     * 500 parameters for nine cost 2 ms on MariaDB (its driver interpolates them client-side).
     */
    public final Bound slugsTakenNumbered;

    /** Numbered candidates per base: the base and {@code -2} … {@code -9}. */
    public static final int NUMBERED = 9;
    /** Slugs per {@link #slugsTaken} query. */
    public static final int TAKEN_BATCH = 500;

    /** True when the page queries carry the dialect's index hint ({@link QueryRole#pageQueryTable}). */
    public final boolean hinted;

    /**
     * @param hinted render the page queries from {@link QueryRole#pageQueryTable} (with the dialect's
     *     index hint, if it has one) rather than from the plain table
     */
    public EventQueries(Dialect dialect, boolean hinted) {
        this.hinted = hinted;
        DSLContext dsl = Jooq.renderContext(dialect).dsl();
        QueryRole sql = dialect.queries();
        this.tieBreak = sql.tieBreak();
        Table<?> events = table(name("events"));
        Table<?> pageSource = hinted ? sql.pageQueryTable(events, "idx_host_event_created") : events;
        Field<Object> hostCode = field(name("host_code"));
        Field<Object> createdAt = field(name("created_at"));
        Field<Object> id = field(name("id"));
        List<Field<Object>> columns = COLUMNS.stream().map(c -> field(name(c))).toList();
        List<SortField<?>> order = sql.pageOrder(hostCode, createdAt, id);

        insert = Bound.of(NamedSql.render(dsl, dsl.insertInto(events)
                .columns(columns.subList(1, columns.size()))
                .values(param("title"), param("slug"), param("description"), param("short_code"),
                        param("host"), param("created_at"), param("active"))));
        // Inside values(...) jOOQ names follow the param names above; "host" binds host_code.
        page = Bound.of(NamedSql.render(dsl, dsl.select(columns).from(pageSource)
                .where(hostCode.eq(param("host")))
                .orderBy(order)
                .limit(param("limit", Integer.class))
                .offset(param("offset", Integer.class))));
        keysetFirst = Bound.of(NamedSql.render(dsl, dsl.select(columns).from(pageSource)
                .where(hostCode.eq(param("host")))
                .orderBy(order)
                .limit(param("limit", Integer.class))));
        keysetAfter = Bound.of(NamedSql.render(dsl, dsl.select(columns).from(pageSource)
                .where(hostCode.eq(param("host")))
                .and(sql.keysetAfter(createdAt, id, param("after_created_at"), param("after_id")))
                .orderBy(order)
                .limit(param("limit", Integer.class))));
        count = Bound.of(NamedSql.render(dsl, dsl.select(count()).from(events).where(hostCode.eq(param("host")))));
        byShortCode = Bound.of(NamedSql.render(dsl, dsl.select(columns).from(events)
                .where(field(name("short_code")).eq(param("short_code")))));
        bySlug = Bound.of(NamedSql.render(dsl, dsl.select(columns).from(events)
                .where(field(name("slug")).eq(param("slug")))));
        Field<String> slug = field(name("slug"), String.class);
        List<Field<String>> numbered = new java.util.ArrayList<>();
        for (int i = 0; i < NUMBERED; i++) {
            numbered.add(param("candidate", String.class));
        }
        insertIfCrowded = Bound.of(NamedSql.render(dsl, dsl.insertInto(events)
                .columns(columns.subList(1, columns.size()))
                .select(dsl.select(param("title"), param("slug"), param("description"), param("short_code"),
                                param("host"), param("created_at"), param("active"))
                        // A one-row FROM: MariaDB before 10.3 and MySQL 5.7 refuse a WHERE without one, and
                        // jOOQ's DUAL emulation names its derived table DUAL, a reserved word there.
                        .from(dsl.select(org.jooq.impl.DSL.inline(1).as("one")).asTable("one_row"))
                        .where(dsl.selectCount().from(events).where(slug.in(numbered)).asField()
                                .eq(org.jooq.impl.DSL.inline(NUMBERED))))));
        List<Field<String>> inList = new java.util.ArrayList<>();
        for (int i = 0; i < TAKEN_BATCH; i++) {
            inList.add(param("candidate", String.class));
        }
        slugsTaken = Bound.of(NamedSql.render(dsl, dsl.select(slug).from(events).where(slug.in(inList))));
        slugsTakenNumbered = Bound.of(NamedSql.render(dsl, dsl.select(slug).from(events).where(slug.in(numbered))));
    }
}
