package dev.hostevents.internal;

import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.RenderContext;
import java.sql.Connection;
import org.jooq.DSLContext;
import org.jooq.conf.RenderKeywordCase;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/** One place for how we use jOOQ: unquoted lower-case names, upper-case keywords, no banner. */
public final class Jooq {
    static {
        // jOOQ prints a logo and a "tip of the day" on first use; a library must not write to the user's log unasked.
        if (System.getProperty("org.jooq.no-logo") == null) {
            System.setProperty("org.jooq.no-logo", "true");
        }
        if (System.getProperty("org.jooq.no-tips") == null) {
            System.setProperty("org.jooq.no-tips", "true");
        }
    }

    private Jooq() {
    }

    /** Rendering settings shared by every context we create. */
    public static Settings settings() {
        return new Settings()
                .withRenderQuotedNames(RenderQuotedNames.NEVER)
                .withRenderKeywordCase(RenderKeywordCase.UPPER)
                .withRenderFormatted(false)
                .withExecuteLogging(false);
    }

    /** A connection-less context that renders for the dialect and server. */
    public static RenderContext renderContext(Dialect dialect) {
        return new RenderContext(DSL.using(dialect.sqlDialect(), settings()), dialect);
    }

    /** A context that executes on the connection. */
    public static DSLContext on(Connection connection, Dialect dialect) {
        return DSL.using(connection, dialect.sqlDialect(), settings());
    }
}
