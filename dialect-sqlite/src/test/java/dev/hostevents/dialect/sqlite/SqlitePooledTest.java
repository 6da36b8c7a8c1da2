package dev.hostevents.dialect.sqlite;

import static dev.hostevents.dialect.sqlite.Pragmas.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.PlanReport;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind a connection pool (HikariCP, one long-lived connection): the dialect reaches the sqlite-jdbc
 * connection through the pool's proxy, hands it back as it came, and sees schema changes made
 * elsewhere.
 */
class SqlitePooledTest {
    static final String HOST = "host_aaaaaaaa0001";

    @TempDir
    Path directory;
    Path file;
    HikariDataSource pool;

    @BeforeEach
    void pool() {
        file = new SqliteTestFiles(directory).newFile();
        HikariConfig config = new HikariConfig();
        config.setDataSource(SqliteDataSources.file(file));
        config.setMaximumPoolSize(1);
        config.setPoolName("sqlite-test");
        pool = new HikariDataSource(config);
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void migrationsAndTheStore_workThroughThePoolsProxy_andTheConnectionComesBackAsItWent() throws Exception {
        Migrator migrator = Migrator.create(pool);
        migrator.upgrade("head");
        assertThat(rows(pool, "PRAGMA index_list('events')")).containsExactlyElementsOf(SqliteSchemaParityTest.REFERENCE_INDEX_LIST);
        try (Connection c = pool.getConnection()) {
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(rows(c, "PRAGMA busy_timeout")).containsExactly("5000");
        }

        EventStore store = EventStore.create(pool);
        List<Event> created = store.createAll(List.of(NewEvent.titled("one").withHostCode(HOST), NewEvent.titled("two").withHostCode(HOST)));
        assertThat(store.findByHost(HOST, 10, 0)).hasSize(2).containsAll(created);
        assertThat(store.diagnostics().explainFindByHost(HOST, 10, 0).ok()).isTrue();

        migrator.downgrade("-1");
        migrator.upgrade("head");
        assertThat(migrator.verify().drift()).isEmpty();
    }

    @Test
    void thePlanCheck_onThePooledConnection_seesAnIndexDroppedByAnotherProcess() {
        Migrator.create(pool).upgrade("head");
        EventStore store = EventStore.create(pool);
        store.create(NewEvent.titled("one").withHostCode(HOST));
        assertThat(store.diagnostics().explainFindByHost(HOST, 10, 0).ok()).isTrue();

        // Another process (its own data source, its own connection) takes the index away.
        Migrator.create(SqliteDataSources.file(file)).downgrade("-1");

        PlanReport report = store.diagnostics().explainFindByHost(HOST, 10, 0);
        assertThat(report.usesIndex()).as(report.plan()).isFalse();
        assertThat(store.findByHost(HOST, 10, 0)).hasSize(1);
        assertThat(Migrator.create(pool).verify().drift()).isEmpty();
        assertThat(Migrator.create(pool).current()).contains("9372cec8298d");
    }
}
