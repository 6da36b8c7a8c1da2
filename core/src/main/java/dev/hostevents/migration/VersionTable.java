package dev.hostevents.migration;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.hostevents.internal.Jooq;
import dev.hostevents.spi.Dialect;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.impl.SQLDataType;

/**
 * The two bookkeeping tables on one connection: Alembic's own {@code alembic_version} (one row, the
 * current revision) and our {@code hostevents_migration_log} (every applied revision with the checksum
 * of the SQL that ran, and the note on how the server built it).
 */
final class VersionTable {
    /** Fixed width, so the text order of the log's timestamps is their time order on every database. */
    private static final DateTimeFormatter LOG_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final Connection connection;
    private final Dialect dialect;
    private final RevisionChain chain;
    private final DSLContext dsl;

    VersionTable(Connection connection, Dialect dialect, RevisionChain chain) {
        this.connection = connection;
        this.dialect = dialect;
        this.chain = chain;
        this.dsl = Jooq.on(connection, dialect);
    }

    /** True when {@code alembic_version} exists. */
    boolean exists() throws SQLException {
        return dialect.schema().tableExists(connection, Migrator.VERSION_TABLE);
    }

    /** The recorded revision, {@code null} at base or when the table does not exist. */
    String currentOrBase() throws SQLException {
        return exists() ? readCurrent() : null;
    }

    /** Creates both tables if missing; a concurrent migrator creating them first is fine. */
    void ensure() throws SQLException {
        if (!exists()) {
            createRacing(Migrator.VERSION_TABLE, () -> dsl.execute(ddl(dsl)));
        }
        if (!dialect.schema().tableExists(connection, Migrator.LOG_TABLE)) {
            createRacing(Migrator.LOG_TABLE, () -> dsl.createTableIfNotExists(name(Migrator.LOG_TABLE))
                    .column(name("revision"), SQLDataType.VARCHAR(32).nullable(false))
                    .column(name("direction"), SQLDataType.VARCHAR(10).nullable(false))
                    .column(name("from_revision"), SQLDataType.VARCHAR(32).nullable(true))
                    .column(name("to_revision"), SQLDataType.VARCHAR(32).nullable(true))
                    .column(name("checksum"), SQLDataType.VARCHAR(64).nullable(false))
                    .column(name("started_at"), SQLDataType.VARCHAR(40).nullable(false))
                    .column(name("finished_at"), SQLDataType.VARCHAR(40).nullable(false))
                    .column(name("duration_ms"), SQLDataType.BIGINT.nullable(false))
                    .column(name("applied_by"), SQLDataType.VARCHAR(200).nullable(true))
                    .column(name("note"), SQLDataType.VARCHAR(500).nullable(true))
                    .execute());
        }
    }

    private void createRacing(String table, SqlAction create) throws SQLException {
        try {
            create.run();
        } catch (org.jooq.exception.DataAccessException e) {
            if (!dialect.schema().tableExists(connection, table)) {
                throw e;
            }
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }

    /**
     * The revision in {@code alembic_version}, {@code null} for none.
     *
     * @throws UnknownRevisionException for several rows (a branched history) or a revision the chain does not know
     */
    String readCurrent() {
        List<String> rows = dsl.select(field(name("version_num"), String.class))
                .from(table(name(Migrator.VERSION_TABLE))).fetch(0, String.class);
        if (rows.size() > 1) {
            throw new UnknownRevisionException(String.join(",", rows), "alembic_version holds several revisions "
                    + rows + " (branched history); this library supports one linear chain. Nothing was changed.");
        }
        String current = rows.isEmpty() ? null : rows.get(0);
        if (current != null && chain.find(current).isEmpty()) {
            throw new UnknownRevisionException(current, "the database is at revision '" + current
                    + "', which this chain does not know (head is " + chain.head().id()
                    + "); it was probably migrated by a newer application. Nothing was changed.");
        }
        return current;
    }

    /**
     * Moves {@code alembic_version} from {@code from} to {@code to}.
     *
     * @throws ConcurrentMigrationException when it was no longer at {@code from}
     */
    void write(String from, String to) {
        int updated = dsl.execute(update(dsl, from, to));
        if (from != null && updated != 1) {
            throw new ConcurrentMigrationException("alembic_version was not at " + from + " when recording " + to
                    + "; another migrator changed it concurrently");
        }
    }

    /** Appends a row to the log; {@code sql} is what ran (its SHA-256 is kept). */
    void log(Transition t, String kind, String sql, Instant started, String note) {
        Instant finished = Instant.now();
        dsl.insertInto(table(name(Migrator.LOG_TABLE)))
                .columns(field(name("revision")), field(name("direction")), field(name("from_revision")),
                        field(name("to_revision")), field(name("checksum")), field(name("started_at")),
                        field(name("finished_at")), field(name("duration_ms")), field(name("applied_by")), field(name("note")))
                .values(t.revision() == null ? "" : t.revision(), kind, t.from(), t.to(), sha256(sql), LOG_TIME.format(started),
                        LOG_TIME.format(finished), Duration.between(started, finished).toMillis(), appliedBy(), note)
                .execute();
    }

    /** The log, oldest first; empty when the table does not exist. */
    List<LogEntry> entries() throws SQLException {
        if (!dialect.schema().tableExists(connection, Migrator.LOG_TABLE)) {
            return List.of();
        }
        List<LogEntry> out = new ArrayList<>();
        for (Record r : dsl.select(field(name("revision")), field(name("direction")), field(name("from_revision")),
                        field(name("to_revision")), field(name("checksum")), field(name("started_at")),
                        field(name("duration_ms")), field(name("applied_by")), field(name("note")))
                .from(table(name(Migrator.LOG_TABLE)))
                .orderBy(field(name("started_at")), field(name("finished_at")))
                .fetch()) {
            Long duration = r.get(6, Long.class);
            out.add(new LogEntry(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                    r.get(3, String.class), r.get(4, String.class), r.get(5, String.class),
                    duration == null ? 0 : duration, r.get(7, String.class), r.get(8, String.class)));
        }
        return out;
    }

    /** The note of the latest upgrade of each revision in the log (a later upgrade supersedes an earlier one). */
    Map<String, String> buildNotes() throws SQLException {
        Map<String, String> notes = new HashMap<>();
        if (!dialect.schema().tableExists(connection, Migrator.LOG_TABLE)) {
            return notes;
        }
        for (Record r : dsl.select(field(name("revision")), field(name("note")))
                .from(table(name(Migrator.LOG_TABLE)))
                .where(field(name("direction")).eq(Direction.UPGRADE.word()))
                .orderBy(field(name("started_at")), field(name("finished_at")))
                .fetch()) {
            notes.put(r.get(0, String.class), r.get(1, String.class));
        }
        return notes;
    }

    /** {@code CREATE TABLE IF NOT EXISTS alembic_version (...)}, exactly as Alembic makes it. */
    static Query ddl(DSLContext dsl) {
        return dsl.createTableIfNotExists(name(Migrator.VERSION_TABLE))
                .column(name("version_num"), SQLDataType.VARCHAR(32).nullable(false))
                .constraint(org.jooq.impl.DSL.constraint(name("alembic_version_pkc")).primaryKey(name("version_num")));
    }

    /** The statement that moves the version from {@code from} to {@code to} (insert at base, delete to base). */
    static Query update(DSLContext dsl, String from, String to) {
        var t = table(name(Migrator.VERSION_TABLE));
        var column = field(name("version_num"), String.class);
        if (from == null) {
            return dsl.insertInto(t).columns(column).values(to);
        }
        if (to == null) {
            return dsl.deleteFrom(t).where(column.eq(from));
        }
        return dsl.update(t).set(column, to).where(column.eq(from));
    }

    private static String appliedBy() {
        String host = System.getenv("HOSTNAME");
        return System.getProperty("user.name", "unknown") + "@" + (host == null ? "localhost" : host);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
