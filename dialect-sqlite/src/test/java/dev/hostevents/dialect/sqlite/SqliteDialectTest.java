package dev.hostevents.dialect.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hostevents.EventStore;
import dev.hostevents.HostEventsException;
import dev.hostevents.NewEvent;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.Dialects;
import dev.hostevents.spi.ServerInfo;
import dev.hostevents.spi.TieBreak;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** How the dialect reads sqlite-jdbc: its identity, its error codes, its generated keys. */
class SqliteDialectTest {
    final SqliteDialect dialect = new SqliteDialect();

    @TempDir
    Path directory;
    Path file;
    DataSource ds;

    @BeforeEach
    void migrated() {
        file = new SqliteTestFiles(directory).newFile();
        ds = SqliteDataSources.file(file);
        Migrator.create(ds).upgrade("head");
    }

    @Test
    void isFoundByServiceLoader_forASqliteConnection_andByName() throws SQLException {
        try (Connection c = ds.getConnection()) {
            assertThat(Dialects.forConnection(c)).isInstanceOf(SqliteDialect.class);
            ServerInfo server = dialect.describe(c);
            assertThat(server.product()).isEqualTo("SQLite");
            assertThat(server.isAtLeast(3, 54)).isTrue();
            assertThat(dialect.tieBreak(server)).isEqualTo(TieBreak.ID_ASC);
        }
        assertThat(Dialects.byName("sqlite")).isInstanceOf(SqliteDialect.class);
        assertThat(Dialects.byName(" SQLite ")).isInstanceOf(SqliteDialect.class);
        assertThat(dialect.handles(ServerInfo.of("PostgreSQL", "17.2"))).isFalse();
    }

    @Test
    void offlineServer_defaultsToTheBundledVersion() {
        assertThat(dialect.offlineServer("sqlite", null)).isEqualTo(ServerInfo.of("SQLite", "3.54"));
        assertThat(dialect.offlineServer("sqlite", "3.40")).isEqualTo(ServerInfo.of("SQLite", "3.40"));
    }

    @Test
    void aDuplicateSlug_isAUniqueViolation_aMissingTitleIsNot() throws SQLException {
        insert("one", "ONE00001");
        SQLException duplicate = failing(() -> insert("one", "ONE00002"));
        assertThat(duplicate.getSQLState()).as("sqlite-jdbc gives no SQLState, so the SPI default cannot be used").isNull();
        assertThat(dialect.isUniqueViolation(duplicate)).isTrue();
        assertThat(dialect.isLockTimeout(duplicate)).isFalse();

        SQLException duplicateShortCode = failing(() -> insert("two", "ONE00001"));
        assertThat(dialect.isUniqueViolation(duplicateShortCode)).isTrue();

        SQLException notNull = failing(() -> execute("INSERT INTO events (title, slug, short_code, host_code, created_at)"
                + " VALUES (NULL, 's', 'c', 'host_aaaaaaaa0001', '2025-01-01 00:00:00.000000')"));
        assertThat(dialect.isUniqueViolation(notNull)).isFalse();
        SQLException syntax = failing(() -> execute("SELEC 1"));
        assertThat(dialect.isUniqueViolation(syntax)).isFalse();
        assertThat(dialect.isLockTimeout(syntax)).isFalse();
    }

    @Test
    void aWriteBlockedByAnotherWriter_isALockTimeout() throws SQLException {
        try (Connection holder = ds.getConnection()) {
            holder.setAutoCommit(false); // IMMEDIATE: holds the write lock
            try (Connection other = ds.getConnection(); Statement s = other.createStatement()) {
                s.execute("PRAGMA busy_timeout = 0");
                SQLException busy = failing(() -> s.execute("DELETE FROM events"));
                assertThat(dialect.isLockTimeout(busy)).isTrue();
                assertThat(dialect.isUniqueViolation(busy)).isFalse();
            }
            holder.rollback();
        }
    }

    @Test
    void generatedKeys_areTheNewRowid() throws SQLException {
        EventStore store = EventStore.create(ds);
        assertThat(store.create(NewEvent.titled("first")).id()).isEqualTo(1);
        assertThat(store.create(NewEvent.titled("second")).id()).isEqualTo(2);
        execute("DELETE FROM events WHERE id = 2");
        // Without AUTOINCREMENT SQLite may reuse the largest rowid after a delete, exactly as SQLAlchemy's table does.
        assertThat(store.create(NewEvent.titled("third")).id()).isEqualTo(2);
    }

    @Test
    void generatedKeysSwitchedOff_isRefusedWithAMessageNamingTheSetting() {
        SQLiteConfig config = SqliteDataSources.recommendedConfig();
        config.setGetGeneratedKeys(false);
        DataSource noKeys = SqliteDataSources.file(file, config);
        EventStore store = EventStore.create(noKeys);

        HostEventsException e = catchThrowableOfType(HostEventsException.class, () -> store.create(NewEvent.titled("x")));
        assertThat(e).hasMessageContaining("setGetGeneratedKeys(false)");
    }

    private void insert(String slug, String shortCode) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO events (title, slug, short_code, host_code, created_at) VALUES ('t', ?, ?, 'host_aaaaaaaa0001', ?)")) {
            ps.setString(1, slug);
            ps.setString(2, shortCode);
            ps.setString(3, "2025-10-08 20:52:27.123456");
            ps.executeUpdate();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }

    private static SQLException failing(SqlAction action) {
        SQLException e = catchThrowableOfType(SQLException.class, action::run);
        assertThat((Throwable) e).as("expected the statement to fail").isNotNull();
        return e;
    }
}
