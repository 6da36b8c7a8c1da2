package dev.hostevents.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hostevents.DatabaseAccessException;
import dev.hostevents.EventStore;
import dev.hostevents.HostEventsException;
import dev.hostevents.migration.MigrationListener;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.Transition;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ProcessFaultContract} for a client–server database, plus the fault only a server can deal:
 * the migration's own connection killed by the server.
 *
 * <h2>What the added test proves</h2>
 * {@code theMigrationsConnectionKilledAfterTheDdl_givesAClearError_andAFreshUpgradeRepairs}: right
 * after the DDL of {@value #INITIAL} (on an empty database) or of {@value #COMPOSITE} (on one at
 * {@value #INITIAL} with {@value #ROWS} rows), another session kills the migration's session. The
 * upgrade fails with a {@link DatabaseAccessException} (not a raw driver or jOOQ exception) caused by
 * the driver's {@link SQLException} and naming {@link #expectedKillError()}; the revision is not
 * recorded; a fresh upgrade applies exactly the missing revisions and ends at head, {@code verify}
 * clean, the composite index valid, each revision once in the log, every row kept.
 *
 * <h2>Use from a dialect module</h2>
 * Besides the hooks of {@link ProcessFaultContract}, supply {@link #taggedDataSource} (PostgreSQL: the
 * same database with {@code application_name} = tag; MariaDB: a data source noting each connection's
 * {@code CONNECTION_ID()} under the tag), {@link #killSession} ({@code pg_terminate_backend(pid)};
 * {@code KILL id}) and {@link #expectedKillError()} ({@code 57P01}; {@code 08000}). After a kill -9
 * the server must drop the dead child's session before the fresh upgrade, so
 * {@link #awaitKilledSessionGone} is required here.
 */
public abstract class ServerProcessFaultContract extends ProcessFaultContract {

    /** Waits until the server dropped the killed child's session; returns the milliseconds it took. */
    @Override
    protected abstract long awaitKilledSessionGone(DataSource ds, String tag) throws Exception;

    /**
     * A data source on the same database as {@code ds} whose sessions {@link #killSession} can find by
     * {@code tag}.
     */
    protected abstract DataSource taggedDataSource(DataSource ds, String tag) throws Exception;

    /**
     * Kills, from a session of {@code ds}, the one open session of {@link #taggedDataSource} with
     * {@code tag}, and waits until the server has dropped it.
     *
     * @return what was done, for the printout, e.g. {@code pg_terminate_backend(4711)}
     */
    protected abstract String killSession(DataSource ds, String tag) throws Exception;

    /** What the migration's failure message must contain once its session was killed, e.g. SQLState {@code 57P01}. */
    protected abstract String expectedKillError();

    // =================================================================== the migration's connection killed

    @ParameterizedTest(name = "session killed after the DDL of {0}")
    @ValueSource(strings = {INITIAL, COMPOSITE})
    void theMigrationsConnectionKilledAfterTheDdl_givesAClearError_andAFreshUpgradeRepairs(String revision) throws Exception {
        DataSource ds = database().newDatabase();
        Rows before = null;
        if (revision.equals(COMPOSITE)) {
            Migrator.create(ds).upgrade("+1");
            seed(EventStore.create(ds), ROWS);
            before = rows(ds);
            assertThat(before.count()).isEqualTo(ROWS);
        }
        String tag = newTag("hostevents-migrator-");
        DataSource migrating = taggedDataSource(ds, tag);
        AtomicLong killedAt = new AtomicLong();
        AtomicInteger killed = new AtomicInteger();
        AtomicReference<String> how = new AtomicReference<>();
        Migrator faulty = Migrator.builder(migrating).listener(new MigrationListener() {
            @Override
            public void afterDdl(Transition t) {
                if (t.to().equals(revision)) {
                    try {
                        how.set(killSession(ds, tag));
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        if (e instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                        }
                        throw new IllegalStateException("killing the session " + tag + " failed", e);
                    }
                    killed.incrementAndGet();
                    killedAt.set(System.nanoTime());
                }
            }
        }).build();

        HostEventsException failed = catchThrowableOfType(HostEventsException.class, () -> faulty.upgrade("head"));
        long toErrorMs = (System.nanoTime() - killedAt.get()) / 1_000_000;

        assertThat(killed).hasValue(1);
        assertThat(failed).as("a HostEventsException, not a raw driver or jOOQ exception").isNotNull();
        assertThat(failed).isInstanceOf(DatabaseAccessException.class).hasCauseInstanceOf(SQLException.class);
        assertThat(failed.getMessage()).contains(expectedKillError());
        Migrator migrator = Migrator.create(ds);
        assertThat(migrator.current()).as("the revision was not recorded")
                .isEqualTo(revision.equals(INITIAL) ? Optional.empty() : Optional.of(INITIAL));

        MigrationResult repaired = migrator.upgrade("head");

        assertThat(repaired.transitions()).extracting(Transition::to)
                .containsExactlyElementsOf(revision.equals(INITIAL) ? List.of(INITIAL, COMPOSITE) : List.of(COMPOSITE));
        if (revision.equals(INITIAL)) {
            before = rows(ds);
            assertThat(before.count()).isZero();
        }
        String checked = assertRepairedAtHead(migrator, ds, before);
        System.out.printf("[reliability] %s migration connection killed (%s from another session) after the DDL of %s:"
                        + " %s %d ms after the kill: \"%s\"; fresh upgrade applied %s, verify clean%s, log once each, %s%n",
                label(), how.get(), revision, failed.getClass().getSimpleName(), toErrorMs, oneLine(failed.getMessage()),
                repaired.transitions().stream().map(Transition::to).toList(), checked == null ? "" : ", " + checked,
                revision.equals(INITIAL) ? "no rows yet (this revision makes the table)" : before.count() + " rows kept");
    }
}
