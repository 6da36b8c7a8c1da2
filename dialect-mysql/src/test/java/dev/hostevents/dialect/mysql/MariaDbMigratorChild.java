package dev.hostevents.dialect.mysql;

import dev.hostevents.migration.MigrationListener;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.Transition;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
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
        String mode = args[1];
        MigrationListener listener = MigrationListener.NONE;
        if (mode.equals("pause")) {
            String point = args[2];
            String revision = args[3];
            listener = new MigrationListener() {
                @Override
                public void beforeDdl(Transition t) {
                    pauseIf("beforeDdl", t);
                }

                @Override
                public void afterDdl(Transition t) {
                    pauseIf("afterDdl", t);
                }

                @Override
                public void afterRevision(Transition t) {
                    pauseIf("afterRevision", t);
                }

                private void pauseIf(String here, Transition t) {
                    if (here.equals(point) && revision.equals(t.to())) {
                        System.out.println("PAUSED " + here + " " + t.to());
                        System.out.flush();
                        try {
                            Thread.sleep(600_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new IllegalStateException("the test did not kill this process");
                    }
                }
            };
        } else if (mode.equals("go")) {
            System.out.println("READY");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } else {
            throw new IllegalArgumentException("unknown mode " + mode);
        }
        try {
            MigrationResult result = Migrator.builder(ds).listener(listener).build().upgrade("head");
            System.out.println("APPLIED " + result.transitions().stream().map(Transition::to).collect(Collectors.joining(",")));
            System.out.flush();
            System.exit(0);
        } catch (RuntimeException e) {
            e.printStackTrace(System.out);
            System.out.flush();
            System.exit(2);
        }
    }
}
