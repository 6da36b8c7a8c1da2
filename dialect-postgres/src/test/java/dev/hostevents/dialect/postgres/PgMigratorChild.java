package dev.hostevents.dialect.postgres;

import dev.hostevents.testing.ChildMigration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A migrator in a JVM of its own, for {@link PostgresProcessFaultTest}: {@code upgrade head} on a
 * PostgreSQL database, talking to the test through stdout lines. The password, if any, comes from the
 * environment variable {@code HOSTEVENTS_CHILD_PASSWORD}, not the command line.
 *
 * <pre>
 * PgMigratorChild &lt;url&gt; &lt;user&gt; &lt;applicationName&gt; pause &lt;beforeDdl|afterDdl|afterRevision|none&gt; &lt;revision&gt;
 *     prints "PAUSED point revision" when the run reaches that point of that revision, then sleeps
 *     (until the test kills it with SIGKILL); with "none" it just upgrades
 * PgMigratorChild &lt;url&gt; &lt;user&gt; &lt;applicationName&gt; go
 *     prints "READY", waits for a line on stdin (so several processes start at once), then upgrades
 * </pre>
 *
 * After the upgrade it prints "APPLIED r1,r2" (the revisions this process applied) and exits 0; on a
 * failure it prints the stack trace and exits 2. Connection options, if any, come from
 * {@code HOSTEVENTS_CHILD_OPTIONS}. The session's {@code application_name} lets the test
 * find this process's backend.
 */
public final class PgMigratorChild {
    private PgMigratorChild() {
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(args[0]);
        ds.setUser(args[1]);
        String password = System.getenv("HOSTEVENTS_CHILD_PASSWORD");
        if (password != null && !password.isEmpty()) {
            ds.setPassword(password);
        }
        ds.setApplicationName(args[2]);
        // E.g. "-c client_connection_check_interval=200" (PostgreSQL 14+): the server notices a dead client
        // even while the backend waits for a lock.
        String options = System.getenv("HOSTEVENTS_CHILD_OPTIONS");
        if (options != null && !options.isEmpty()) {
            ds.setOptions(options);
        }
        ChildMigration.run(ds, args, 3);
    }
}
