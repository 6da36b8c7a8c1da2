package dev.hostevents.dialect.postgres;

import static dev.hostevents.dialect.postgres.Pg.execute;
import static dev.hostevents.dialect.postgres.Pg.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.DatabaseAccessException;
import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.migration.Migrator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Writes whose connection dies under them: the caller learns why, and nothing is half-written. */
class PostgresWriteFaultTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.instance();

    /**
     * The server ends the session in the middle of a {@code createAll} (an insert trigger sleeps on
     * one row; another session terminates it there). The error names the termination (SQLState
     * {@code 57P01}); the failed rollback on the dead connection is attached to it, not thrown instead.
     */
    @Test
    void createAll_whoseSessionIsTerminatedMidBatch_reportsTheTermination_andStoresNothing() throws Exception {
        DataSource ds = POSTGRES.newDatabase();
        Migrator.create(ds).upgrade("head");
        execute(ds, "CREATE FUNCTION slow_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF NEW.title = 'slow' THEN PERFORM pg_sleep(30); END IF; RETURN NEW; END $$");
        execute(ds, "CREATE TRIGGER slow_row BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION slow_row()");
        EventStore store = EventStore.create(ds);
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                store.createAll(List.of(NewEvent.titled("first"), NewEvent.titled("second"), NewEvent.titled("slow"),
                        NewEvent.titled("fourth")));
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (queryLong(ds, "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'") == 0) {
            assertThat(System.nanoTime()).as("the batch never reached the slow row").isLessThan(deadline);
            Thread.sleep(10);
        }
        execute(ds, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = 'PgSleep'");
        Throwable failed = outcome.get(20, TimeUnit.SECONDS);
        assertThat(failed).isInstanceOf(DatabaseAccessException.class);
        DatabaseAccessException e = (DatabaseAccessException) failed;
        assertThat(e.sqlState()).isEqualTo("57P01");
        assertThat(e.getMessage()).contains("terminat").doesNotContain("has been closed");
        assertThat(queryLong(ds, "SELECT count(*) FROM events")).as("nothing half-written").isZero();
        System.out.println("[write fault] createAll terminated mid-batch: " + e.getMessage().lines().findFirst().orElse("")
                + "; suppressed: " + e.getCause().getSuppressed().length);
    }
}
