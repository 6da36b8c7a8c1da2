package dev.hostevents.dialect.sqlite;

import dev.hostevents.testing.ChildMigration;
import java.nio.file.Path;

/**
 * A migrator in a JVM of its own, for {@link SqliteProcessFaultTest}: {@code upgrade head} on a SQLite
 * file, talking to the test through stdout lines.
 *
 * <pre>
 * MigratorChild &lt;file&gt; pause &lt;beforeDdl|afterDdl|afterRevision&gt; &lt;revision&gt;
 *     prints "PAUSED point revision" when the run reaches that point of that revision, then sleeps
 *     (until the test kills it with SIGKILL)
 * MigratorChild &lt;file&gt; go
 *     prints "READY", waits for a line on stdin (so several processes start at once), then upgrades
 * </pre>
 *
 * After the upgrade it prints "APPLIED r1,r2" (the revisions this process applied) and exits 0; on a
 * failure it prints the stack trace and exits 2.
 */
public final class MigratorChild {
    private MigratorChild() {
    }

    public static void main(String[] args) throws Exception {
        ChildMigration.run(SqliteDataSources.file(Path.of(args[0])), args, 1);
    }
}
