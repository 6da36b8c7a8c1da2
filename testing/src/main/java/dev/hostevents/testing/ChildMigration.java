package dev.hostevents.testing;

import dev.hostevents.migration.MigrationListener;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.Transition;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The body of a migrator run in a JVM of its own (started with {@link ChildJvm}), shared by every
 * dialect's child main class, which only builds its {@link DataSource}. It talks to the test through
 * stdout lines:
 *
 * <pre>
 * ... pause &lt;beforeDdl|afterDdl|afterRevision|none&gt; &lt;revision&gt;
 *     prints "PAUSED point revision" when the run reaches that point of that revision, then sleeps
 *     (until the test kills it with SIGKILL); with "none" it just upgrades
 * ... go
 *     prints "READY", waits for a line on stdin (so several processes start at once), then upgrades
 * </pre>
 *
 * After the upgrade it prints "APPLIED r1,r2" (the revisions this process applied) and exits 0; on a
 * failure it prints the stack trace and exits 2.
 */
public final class ChildMigration {
    private ChildMigration() {
    }

    /**
     * Runs {@code upgrade head} on {@code dataSource} as {@code args[modeIndex…]} asks, then exits the JVM.
     */
    public static void run(DataSource dataSource, String[] args, int modeIndex) throws Exception {
        String mode = args[modeIndex];
        MigrationListener listener = MigrationListener.NONE;
        if (mode.equals("pause")) {
            listener = pausingAt(args[modeIndex + 1], args[modeIndex + 2]);
        } else if (mode.equals("go")) {
            System.out.println("READY");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } else {
            throw new IllegalArgumentException("unknown mode " + mode);
        }
        try {
            MigrationResult result = Migrator.builder(dataSource).listener(listener).build().upgrade("head");
            System.out.println("APPLIED " + result.transitions().stream().map(Transition::to).collect(Collectors.joining(",")));
            System.out.flush();
            System.exit(0);
        } catch (RuntimeException e) {
            e.printStackTrace(System.out);
            System.out.flush();
            System.exit(2);
        }
    }

    private static MigrationListener pausingAt(String point, String revision) {
        return new MigrationListener() {
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
    }
}
