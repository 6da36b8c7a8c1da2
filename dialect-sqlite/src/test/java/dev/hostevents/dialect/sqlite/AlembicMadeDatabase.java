package dev.hostevents.dialect.sqlite;

import java.util.List;
import javax.sql.DataSource;

/**
 * A {@code slido_clone.db} as the original Python app leaves it: tables created by SQLAlchemy's DDL
 * (its spelling and whitespace), indexes and {@code alembic_version} written by Alembic's migrations,
 * rows with SQLAlchemy's timestamp text (six fraction digits, and some older rows without a fraction).
 */
final class AlembicMadeDatabase {
    static final String HOST_A = "host_aaaaaaaa0001";
    static final String HOST_B = "host_bbbbbbbb0002";

    /** SQLAlchemy's CREATE TABLE for the model, as sqlite_master keeps it. */
    static final String EVENTS_DDL = "CREATE TABLE events (\n"
            + "\tid INTEGER NOT NULL, \n"
            + "\ttitle VARCHAR(200) NOT NULL, \n"
            + "\tslug VARCHAR(50) NOT NULL, \n"
            + "\tdescription TEXT, \n"
            + "\tshort_code VARCHAR(20) NOT NULL, \n"
            + "\thost_code VARCHAR(50) NOT NULL, \n"
            + "\tcreated_at DATETIME NOT NULL, \n"
            + "\tis_active BOOLEAN NOT NULL, \n"
            + "\tPRIMARY KEY (id)\n"
            + ")";
    /** Alembic's version table, as Alembic creates it. */
    static final String ALEMBIC_VERSION_DDL = "CREATE TABLE alembic_version (\n"
            + "\tversion_num VARCHAR(32) NOT NULL, \n"
            + "\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
            + ")";
    /** Revision 9372cec8298d's indexes, in the order that gives the reference's index_list. */
    static final List<String> INITIAL_INDEXES = List.of(
            "CREATE INDEX ix_events_id ON events (id)",
            "CREATE INDEX ix_events_host_code ON events (host_code)",
            "CREATE UNIQUE INDEX ix_events_short_code ON events (short_code)",
            "CREATE UNIQUE INDEX ix_events_slug ON events (slug)");
    /** What Alembic runs for c1b85c454f94's upgrade ({@code alembic upgrade head --sql}). */
    static final List<String> ALEMBIC_UPGRADE_C1B8 = List.of(
            "CREATE INDEX idx_host_event_created ON events (host_code, created_at DESC)",
            "UPDATE alembic_version SET version_num='c1b85c454f94' WHERE alembic_version.version_num = '9372cec8298d'");
    /** What Alembic runs for c1b85c454f94's downgrade ({@code alembic downgrade -1 --sql}). */
    static final List<String> ALEMBIC_DOWNGRADE_C1B8 = List.of(
            "DROP INDEX idx_host_event_created",
            "UPDATE alembic_version SET version_num='9372cec8298d' WHERE alembic_version.version_num = 'c1b85c454f94'");

    /** One row as SQLAlchemy stored it. */
    record Row(long id, String title, String slug, String description, String shortCode, String hostCode, String createdAt,
            int active) {
    }

    /** The rows, by id. Ids 3 and 4 tie on created_at; 2 and 6 have no fraction. */
    static final List<Row> ROWS = List.of(
            new Row(1, "Kickoff", "kickoff", null, "KICK0001", HOST_A, "2025-10-01 09:00:00.000000", 1),
            new Row(2, "Retro", "retro", "What went well", "RETR0002", HOST_A, "2025-10-02 17:30:00", 1),
            new Row(3, "Town hall", "town-hall", null, "TOWN0003", HOST_A, "2025-10-08 20:52:27.123456", 1),
            new Row(4, "AMA", "ama", "Ask me anything", "AMAA0004", HOST_A, "2025-10-08 20:52:27.123456", 1),
            new Row(5, "Other host", "other-host", null, "OTHR0005", HOST_B, "2025-10-05 12:00:00.250000", 1),
            new Row(6, "Q4 planning", "q4-planning", null, "PLAN0006", HOST_A, "2025-10-09 08:00:00", 0),
            new Row(7, "Standup", "standup", null, "STND0007", HOST_A, "2025-10-03 10:15:42.000001", 1));

    /** HOST_A's ids, newest first, ties by id ascending. */
    static final List<Long> HOST_A_NEWEST_FIRST = List.of(6L, 3L, 4L, 7L, 2L, 1L);

    private AlembicMadeDatabase() {
    }

    /** Builds the file at revision {@code 9372cec8298d}, or at {@code c1b85c454f94} when {@code withCompositeIndex}. */
    static void build(DataSource ds, boolean withCompositeIndex) {
        Pragmas.execute(ds, ALEMBIC_VERSION_DDL, EVENTS_DDL);
        Pragmas.execute(ds, INITIAL_INDEXES.toArray(String[]::new));
        Pragmas.execute(ds, "INSERT INTO alembic_version (version_num) VALUES ('9372cec8298d')");
        for (Row r : ROWS) {
            Pragmas.rows(ds, "INSERT INTO events (id, title, slug, description, short_code, host_code, created_at, is_active)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    r.id(), r.title(), r.slug(), r.description(), r.shortCode(), r.hostCode(), r.createdAt(), r.active());
        }
        if (withCompositeIndex) {
            Pragmas.execute(ds, ALEMBIC_UPGRADE_C1B8.toArray(String[]::new));
        }
    }

    /** Every row of events, every column, as text, by id: what "rows preserved" compares. */
    static List<String> dump(DataSource ds) {
        return Pragmas.rows(ds, "SELECT id, title, slug, description, short_code, host_code, created_at, typeof(created_at),"
                + " is_active FROM events ORDER BY id");
    }
}
