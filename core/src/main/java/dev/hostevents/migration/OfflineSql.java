package dev.hostevents.migration;

import dev.hostevents.ValidationException;
import dev.hostevents.internal.Jooq;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;

/**
 * {@code sql upgrade|downgrade <range>}: the SQL of a range of the chain for a dialect bound to a named
 * server version, without a connection — what a DBA reviews and runs by hand.
 */
final class OfflineSql {
    private OfflineSql() {
    }

    static String render(RevisionChain chain, Direction direction, String range, Dialect dialect) {
        String r = range == null || range.isBlank() ? (direction == Direction.UPGRADE ? "base:head" : "head:base") : range.trim();
        String fromSpec;
        String toSpec;
        int colon = r.indexOf(':');
        if (colon >= 0) {
            fromSpec = r.substring(0, colon);
            toSpec = r.substring(colon + 1);
        } else {
            fromSpec = direction == Direction.UPGRADE ? "base" : "head";
            toSpec = r;
        }
        if (fromSpec.startsWith("+") || fromSpec.startsWith("-")) {
            throw new ValidationException("range", "start must be base, head or a revision id");
        }
        int from = chain.resolve(fromSpec, null);
        int to = chain.resolve(toSpec, chain.idAt(from));
        if (direction == Direction.UPGRADE && to < from || direction == Direction.DOWNGRADE && to > from) {
            throw new ValidationException("range", "goes the wrong way for " + direction.word());
        }
        RenderContext ctx = Jooq.renderContext(dialect);
        StringBuilder out = new StringBuilder();
        out.append("-- hostevents ").append(direction.word()).append(' ').append(r)
                .append(" for ").append(dialect.name()).append(' ').append(dialect.server().version()).append('\n');
        if (from == -1 && direction == Direction.UPGRADE) {
            out.append('\n').append(ctx.inline(VersionTable.ddl(ctx.dsl()))).append(";\n");
        }
        int pos = from;
        while (pos != to) {
            Revision rev = chain.revisions().get(direction == Direction.UPGRADE ? pos + 1 : pos);
            Transition t = Transition.of(direction, rev);
            out.append("\n-- ").append(t.alembicLine()).append('\n');
            for (MigrationStep step : rev.steps(direction)) {
                String buildNote = step.buildNote(ctx);
                if (buildNote != null) {
                    out.append("-- ").append(buildNote).append('\n');
                }
                for (RenderedStatement s : step.render(ctx)) {
                    if (s.comment() != null) {
                        out.append("-- ").append(s.comment()).append('\n');
                    }
                    out.append(s.sql()).append(";\n");
                }
            }
            out.append(ctx.inline(VersionTable.update(ctx.dsl(), t.from(), t.to()))).append(";\n");
            pos += direction == Direction.UPGRADE ? 1 : -1;
        }
        if (from == to) {
            out.append("-- nothing to do\n");
        }
        return out.toString();
    }

    /**
     * The text with every control or line-separator character replaced by {@code ?}: it goes into a
     * comment line, and a line break there would start a statement of its own.
     */
    private static String oneLine(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '?' : c);
        }
        return b.toString();
    }
}
