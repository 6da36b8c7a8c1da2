package dev.hostevents.bench;

import dev.hostevents.spi.Dialect;
import org.jooq.DSLContext;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/** Renders the bench's own statements (bulk insert, a probe index) the way the library renders its schema. */
final class BenchSql {
    static {
        // jOOQ's banner and tips would land in the middle of the report.
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
    }

    private BenchSql() {
    }

    /** Unquoted names, as the migrations create them (a quoted lower-case name is another table on H2). */
    static DSLContext dsl(Dialect dialect) {
        return DSL.using(dialect.sqlDialect(), new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER));
    }
}
