package dev.hostevents.dialect.mysql;

import dev.hostevents.testing.ChildMigration;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * A migrator in a JVM of its own, for {@link MariaDbProcessFaultTest}: {@code upgrade head} on a MySQL or
 * MariaDB database, talking to the test through stdout lines. The password, if any, comes from the
 * environment variable {@code HOSTEVENTS_CHILD_PASSWORD}, not the command line (the URL carries none).
 *
 * <pre>
 * MariaDbMigratorChild &lt;url&gt; pause &lt;beforeDdl|afterDdl|afterRevision&gt; &lt;revision&gt;
 *     prints "PAUSED point revision" when the run reaches that point of that revision, then sleeps
 *     (until the test kills it with SIGKILL)
 * MariaDbMigratorChild &lt;url&gt; go
 *     prints "READY", waits for a line on stdin (so several processes start at once), then upgrades
 * </pre>
 *
 * After the upgrade it prints "APPLIED r1,r2" (the revisions this process applied) and exits 0; on a
 * failure it prints the stack trace and exits 2.
 */
public final class MariaDbMigratorChild {
    private MariaDbMigratorChild() {
    }

    public static void main(String[] args) throws Exception {
        MariaDbDataSource ds = new MariaDbDataSource(args[0]);
        String password = System.getenv("HOSTEVENTS_CHILD_PASSWORD");
        if (password != null && !password.isEmpty()) {
            ds.setPassword(password);
        }
        ChildMigration.run(ds, args, 1);
    }
}
