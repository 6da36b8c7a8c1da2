package dev.hostevents.dialect.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hostevents.EventStore;
import dev.hostevents.HostEventsException;
import dev.hostevents.NewEvent;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.Dialect;
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
    final SqliteDialectProvider provider = new SqliteDialectProvider();
    final Dialect dialect = provider.bind(provider.offlineServer("sqlite", null));

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
            Dialect bound = Dialects.forConnection(c);
            assertThat(bound.name()).isEqualTo("sqlite");
            assertThat(bound.sqlDialect()).isEqualTo(org.jooq.SQLDialect.SQLITE);
            assertThat(bound.schema()).isInstanceOf(SqliteSchema.class);
            assertThat(bound.migration()).isInstanceOf(SqliteMigration.class);
            assertThat(bound.queries()).isInstanceOf(SqliteQueries.class);
            ServerInfo server = provider.describe(c);
            assertThat(bound.server()).isEqualTo(server);
            assertThat(server.product()).isEqualTo("SQLite");
            assertThat(server.isAtLeast(3, 54)).isTrue();
            assertThat(bound.queries().tieBreak()).isEqualTo(TieBreak.ID_ASC);
        }
        assertThat(Dialects.byName("sqlite")).isInstanceOf(SqliteDialectProvider.class);
        assertThat(Dialects.byName(" SQLite ")).isInstanceOf(SqliteDialectProvider.class);
        assertThat(provider.handles(ServerInfo.of("PostgreSQL", "17.2"))).isFalse();
    }

    @Test
    void offlineServer_defaultsToTheBundledVersion() {
        assertThat(provider.offlineServer("sqlite", null)).isEqualTo(ServerInfo.of("SQLite", "3.54"));
        assertThat(provider.offlineServer("sqlite", "3.40")).isEqualTo(ServerInfo.of("SQLite", "3.40"));
        assertThat(Dialects.offline("sqlite", null).server()).isEqualTo(ServerInfo.of("SQLite", "3.54"));
        assertThat(Dialects.offline("SQLite", "3.40").server()).isEqualTo(ServerInfo.of("SQLite", "3.40"));
    }

    @Test
    void aDuplicateSlug_isAUniqueViolation_aMissingTitleIsNot() throws SQLException {
        insert("one", "ONE00001");
        SQLException duplicate = failing(() -> insert("one", "ONE00002"));
        assertThat(duplicate.getSQLState()).as("sqlite-jdbc gives no SQLState, so the SPI default cannot be used").isNull();
        assertThat(dialect.queries().isUniqueViolation(duplicate)).isTrue();
        assertThat(dialect.migration().isLockTimeout(duplicate)).isFalse();

        SQLException duplicateShortCode = failing(() -> insert("two", "ONE00001"));
        assertThat(dialect.queries().isUniqueViolation(duplicateShortCode)).isTrue();

        SQLException notNull = failing(() -> execute("INSERT INTO events (title, slug, short_code, host_code, created_at)"
                + " VALUES (NULL, 's', 'c', 'host_aaaaaaaa0001', '2025-01-01 00:00:00.000000')"));
        assertThat(dialect.queries().isUniqueViolation(notNull)).isFalse();
        SQLException syntax = failing(() -> execute("SELEC 1"));
        assertThat(dialect.queries().isUniqueViolation(syntax)).isFalse();
        assertThat(dialect.migration().isLockTimeout(syntax)).isFalse();
    }

    @Test
    void aWriteBlockedByAnotherWriter_isALockTimeout() throws SQLException {
        try (Connection holder = ds.getConnection()) {
            holder.setAutoCommit(false); // IMMEDIATE: holds the write lock
            try (Connection other = ds.getConnection(); Statement s = other.createStatement()) {
                s.execute("PRAGMA busy_timeout = 0");
                SQLException busy = failing(() -> s.execute("DELETE FROM events"));
                assertThat(dialect.migration().isLockTimeout(busy)).isTrue();
                assertThat(dialect.queries().isUniqueViolation(busy)).isFalse();
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
