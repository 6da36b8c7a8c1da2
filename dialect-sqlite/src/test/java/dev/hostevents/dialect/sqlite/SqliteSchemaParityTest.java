package dev.hostevents.dialect.sqlite;

import static dev.hostevents.dialect.sqlite.Pragmas.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.migration.Direction;
import dev.hostevents.migration.Migrator;
import dev.hostevents.spi.Dialects;
import dev.hostevents.spi.IndexColumn;
import dev.hostevents.spi.LiveIndex;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After {@code upgrade head} on a new file, SQLite shows exactly what the reference document
 * (T033-composite-index-migration.md) shows, read through JDBC with the same PRAGMAs.
 */
class SqliteSchemaParityTest {
    /** The reference's {@code PRAGMA index_list('events')}, in its order. */
    static final List<String> REFERENCE_INDEX_LIST = List.of(
            "0|idx_host_event_created|0|c|0",
            "1|ix_events_slug|1|c|0",
            "2|ix_events_short_code|1|c|0",
            "3|ix_events_host_code|0|c|0",
            "4|ix_events_id|0|c|0");
    /** The same list without the composite index, as {@code downgrade -1} leaves it. */
    static final List<String> INITIAL_INDEX_LIST = List.of(
            "0|ix_events_slug|1|c|0",
            "1|ix_events_short_code|1|c|0",
            "2|ix_events_host_code|0|c|0",
            "3|ix_events_id|0|c|0");

    @TempDir
    Path directory;
    DataSource ds;
    Migrator migrator;

    @BeforeEach
    void newFile() {
        ds = new SqliteTestFiles(directory).newDatabase();
        migrator = Migrator.create(ds);
    }

    @Test
    void upgradeHead_indexList_isExactlyTheReferencesFiveRows() {
        migrator.upgrade("head");

        assertThat(rows(ds, "PRAGMA index_list('events')")).containsExactlyElementsOf(REFERENCE_INDEX_LIST);
        assertThat(rows(ds, "PRAGMA index_info('idx_host_event_created')")).containsExactly("0|5|host_code", "1|6|created_at");
        // index_xinfo: seqno|cid|name|desc|coll|key; the rowid follows the key columns, ascending.
        assertThat(rows(ds, "PRAGMA index_xinfo('idx_host_event_created')"))
                .containsExactly("0|5|host_code|0|BINARY|1", "1|6|created_at|1|BINARY|1", "2|-1||0|BINARY|0");
    }

    @Test
    void eventsTable_isLaidOutAsSqlalchemyDoes_idIsTheRowid_noAutoincrementNoAutoindex() {
        migrator.upgrade("head");

        // cid|name|type|notnull|dflt_value|pk
        assertThat(rows(ds, "PRAGMA table_info('events')")).containsExactly(
                "0|id|INTEGER|1||1",
                "1|title|VARCHAR(200)|1||0",
                "2|slug|VARCHAR(50)|1||0",
                "3|description|TEXT|0||0",
                "4|short_code|VARCHAR(20)|1||0",
                "5|host_code|VARCHAR(50)|1||0",
                "6|created_at|DATETIME|1||0",
                "7|is_active|BOOLEAN|1|1|0");
        String ddl = rows(ds, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'").get(0);
        assertThat(ddl).doesNotContainIgnoringCase("AUTOINCREMENT").contains("PRIMARY KEY (id)");
        assertThat(rows(ds, "SELECT name FROM sqlite_master WHERE name LIKE 'sqlite_autoindex_events%' OR name = 'sqlite_sequence'"))
                .isEmpty();

        EventStore store = EventStore.create(ds);
        long id = store.create(NewEvent.titled("Rowid")).id();
        assertThat(rows(ds, "SELECT rowid FROM events WHERE id = ?", id)).containsExactly(Long.toString(id));
    }

    @Test
    void downgradeOne_dropsOnlyTheCompositeIndex_theOtherFourUntouched_andUpgradeRestoresIt() {
        migrator.upgrade("head");
        List<String> otherFour = definitionsOfTheInitialIndexes();

        migrator.downgrade("-1");
        assertThat(rows(ds, "PRAGMA index_list('events')")).containsExactlyElementsOf(INITIAL_INDEX_LIST);
        assertThat(rows(ds, "PRAGMA index_info('idx_host_event_created')")).isEmpty();
        assertThat(definitionsOfTheInitialIndexes()).isEqualTo(otherFour);

        migrator.upgrade("head");
        assertThat(rows(ds, "PRAGMA index_list('events')")).containsExactlyElementsOf(REFERENCE_INDEX_LIST);
        assertThat(rows(ds, "PRAGMA index_info('idx_host_event_created')")).containsExactly("0|5|host_code", "1|6|created_at");
        assertThat(definitionsOfTheInitialIndexes()).isEqualTo(otherFour);
    }

    /** The SQL and the full xinfo of the four initial indexes: what "untouched" means. */
    private List<String> definitionsOfTheInitialIndexes() {
        List<String> out = new java.util.ArrayList<>(rows(ds,
                "SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_events_%' ORDER BY name"));
        for (String index : List.of("ix_events_id", "ix_events_host_code", "ix_events_short_code", "ix_events_slug")) {
            out.addAll(rows(ds, "SELECT ? || ' ' || seqno || '|' || cid || '|' || coalesce(name, '') || '|' || \"desc\" || '|' || key"
                    + " FROM pragma_index_xinfo(?)", index, index));
        }
        return out;
    }

    @Test
    void readIndexes_readsTheDirectionFromIndexXinfo() throws Exception {
        migrator.upgrade("head");
        try (Connection c = ds.getConnection()) {
            List<LiveIndex> live = Dialects.forConnection(c).schema().readIndexes(c, "events");
            assertThat(live).extracting(LiveIndex::name).containsExactly(
                    "idx_host_event_created", "ix_events_slug", "ix_events_short_code", "ix_events_host_code", "ix_events_id");
            assertThat(live.get(0).columns()).containsExactly(IndexColumn.asc("host_code"), IndexColumn.desc("created_at"));
            assertThat(live.get(0).unique()).isFalse();
            assertThat(live.get(1).unique()).isTrue();
        }
    }

    @Test
    void offlineSql_isTheSameDdlAsTheLiveRun() {
        String sql = Migrator.sql(Direction.UPGRADE, "base:head", Dialects.offline("sqlite", null));

        assertThat(sql).contains("-- hostevents upgrade base:head for sqlite 3.54")
                .contains("CREATE TABLE events (id INTEGER NOT NULL, title VARCHAR(200) NOT NULL, slug VARCHAR(50) NOT NULL,"
                        + " description TEXT, short_code VARCHAR(20) NOT NULL, host_code VARCHAR(50) NOT NULL,"
                        + " created_at DATETIME NOT NULL, is_active BOOLEAN NOT NULL DEFAULT (1), PRIMARY KEY (id));")
                .contains("CREATE INDEX idx_host_event_created ON events(host_code, created_at DESC);");
        migrator.upgrade("head");
        String live = rows(ds, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'").get(0);
        assertThat(sql).contains(live + ";");
        assertThat(Migrator.sql(Direction.DOWNGRADE, "head:9372cec8298d", Dialects.offline("sqlite", "3.40")))
                .contains("for sqlite 3.40").contains("DROP INDEX idx_host_event_created;");
    }
}
