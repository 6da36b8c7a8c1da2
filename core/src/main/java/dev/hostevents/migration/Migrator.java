package dev.hostevents.migration;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.hostevents.DataLossRefusedException;
import dev.hostevents.DatabaseAccessException;
import dev.hostevents.HostCodes;
import dev.hostevents.HostEventsException;
import dev.hostevents.MigrationLockTimeoutException;
import dev.hostevents.SchemaDriftException;
import dev.hostevents.UnknownRevisionException;
import dev.hostevents.ValidationException;
import dev.hostevents.internal.Jooq;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.Dialects;
import dev.hostevents.spi.IndexSpec;
import dev.hostevents.spi.LiveIndex;
import dev.hostevents.spi.MigrationLock;
import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import dev.hostevents.spi.ServerInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.SQLDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the revision chain against a database: Alembic's commands, with Alembic's own version table,
 * so a database migrated by Alembic is continued here and one migrated here can be handed back.
 *
 * <ul>
 *   <li>Two migrators at once: the dialect's migration lock keeps them apart; the second waits, then
 *       finds nothing to do.</li>
 *   <li>Each revision is applied and recorded in one transaction where the database has
 *       transactional DDL; elsewhere each built-in step checks the live schema first, so a run that
 *       died between the DDL and the version update is repaired by the next run, never applied
 *       twice.</li>
 *   <li>An unknown revision in {@code alembic_version} is refused ({@link UnknownRevisionException}),
 *       nothing touched. Dropping the {@code events} table needs {@code allowDataLoss}.</li>
 * </ul>
 *
 * <p>Each applied revision is logged at INFO on {@code dev.hostevents.migration} with Alembic's line,
 * and recorded in {@code hostevents_migration_log} with the checksum of the SQL that ran.
 */
public final class Migrator {
    /** Alembic's version table. */
    public static final String VERSION_TABLE = "alembic_version";
    /** Our log of applied revisions. */
    public static final String LOG_TABLE = "hostevents_migration_log";

    private static final Logger LOG = LoggerFactory.getLogger("dev.hostevents.migration");
    /** Fixed width, so the text order of the log's timestamps is their time order on every database. */
    private static final java.time.format.DateTimeFormatter LOG_TIME =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private final DataSource dataSource;
    private final RevisionChain chain;
    private final Dialect dialectOverride;
    private final Duration lockTimeout;
    private final Duration migrationLockWait;
    private final MigrationListener listener;

    private Migrator(Builder b) {
        this.dataSource = b.dataSource;
        this.chain = b.chain;
        this.dialectOverride = b.dialect;
        this.lockTimeout = b.lockTimeout;
        this.migrationLockWait = b.migrationLockWait;
        this.listener = b.listener;
    }

    /** A migrator for the built-in chain, dialect picked from the database. */
    public static Migrator create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /** Starts configuring a migrator. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** The chain this migrator runs. */
    public RevisionChain chain() {
        return chain;
    }

    // ------------------------------------------------------------------ commands

    /**
     * Upgrades to {@code target}: {@code head}, a revision id, or {@code +N}.
     *
     * @throws UnknownRevisionException when the database or the target names an unknown revision
     * @throws MigrationLockTimeoutException when the migration lock or a DDL lock is not had in time
     */
    public MigrationResult upgrade(String target) {
        return run(Direction.UPGRADE, target, false);
    }

    /** Downgrades to {@code target}: {@code -N}, a revision id, or {@code base}; never drops the table. */
    public MigrationResult downgrade(String target) {
        return run(Direction.DOWNGRADE, target, false);
    }

    /**
     * Downgrades to {@code target}; with {@code allowDataLoss} a downgrade to {@code base} drops the
     * {@code events} table and its rows.
     *
     * @throws DataLossRefusedException when the downgrade would drop the table and data loss was not allowed
     */
    public MigrationResult downgrade(String target, boolean allowDataLoss) {
        return run(Direction.DOWNGRADE, target, allowDataLoss);
    }

    /** The revision recorded in {@code alembic_version}; empty for a new database. Creates nothing. */
    public Optional<String> current() {
        try (Connection c = dataSource.getConnection()) {
            Dialect dialect = dialect(c);
            if (!dialect.tableExists(c, VERSION_TABLE)) {
                return Optional.empty();
            }
            String current = readCurrent(c, dialect, dialect.describe(c));
            chain.position(current);
            return Optional.ofNullable(current);
        } catch (SQLException e) {
            throw failure("current", e);
        } catch (org.jooq.exception.DataAccessException e) {
            throw failure("current", e);
        }
    }

    /** True when {@code revision} is the chain's head. */
    public boolean isHead(String revision) {
        return chain.head().id().equals(revision);
    }

    /** The chain, newest first, as {@code history} shows it. */
    public List<Revision> history() {
        return chain.newestFirst();
    }

    /** What {@code hostevents_migration_log} recorded, oldest first; empty when the table does not exist. */
    public List<LogEntry> log() {
        try (Connection c = dataSource.getConnection()) {
            Dialect dialect = dialect(c);
            if (!dialect.tableExists(c, LOG_TABLE)) {
                return List.of();
            }
            DSLContext dsl = Jooq.on(c, dialect, dialect.describe(c));
            List<LogEntry> out = new ArrayList<>();
            for (Record r : dsl.select(field(name("revision")), field(name("direction")), field(name("from_revision")),
                            field(name("to_revision")), field(name("checksum")), field(name("started_at")),
                            field(name("duration_ms")), field(name("applied_by")), field(name("note")))
                    .from(table(name(LOG_TABLE)))
                    .orderBy(field(name("started_at")), field(name("finished_at")))
                    .fetch()) {
                out.add(new LogEntry(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                        r.get(3, String.class), r.get(4, String.class), r.get(5, String.class),
                        r.get(6, Long.class) == null ? 0 : r.get(6, Long.class), r.get(7, String.class), r.get(8, String.class)));
            }
            return out;
        } catch (SQLException e) {
            throw failure("log", e);
        } catch (org.jooq.exception.DataAccessException e) {
            throw failure("log", e);
        }
    }

    /**
     * Records {@code revision} in {@code alembic_version} without running any step ({@code base}
     * clears it). For a database whose schema was made by other means.
     */
    public void stamp(String revision) {
        try (Connection c = dataSource.getConnection()) {
            Dialect dialect = dialect(c);
            ServerInfo server = dialect.describe(c);
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(true);
            ensureBookkeeping(c, dialect, server);
            try (MigrationLock lock = lock(c, dialect)) {
                dialect.beginRevision(c);
                try {
                    String current = readCurrent(c, dialect, server);
                    String target = chain.idAt(chain.resolve(revision, current));
                    writeVersion(c, dialect, server, current, target);
                    writeLog(c, dialect, server, new Transition(Direction.UPGRADE, current, target, "stamp"), "stamp",
                            "", Instant.now(), null);
                    dialect.commitRevision(c);
                    LOG.info("Stamped {} -> {}", current == null ? "" : current, target == null ? "" : target);
                } catch (RuntimeException | SQLException e) {
                    dialect.rollbackRevision(c);
                    throw e;
                }
            } finally {
                // A connection the server killed is closed: restoring it would hide the real error.
                if (!c.isClosed()) {
                    c.setAutoCommit(autoCommit);
                }
            }
        } catch (SQLException e) {
            throw failure("stamp", e);
        } catch (org.jooq.exception.DataAccessException e) {
            throw failure("stamp", e);
        }
    }

    /**
     * Compares the live schema with the one the recorded revision promises: the table, each index's
     * columns, their directions (as this server can build them), uniqueness and validity.
     */
    public VerifyReport verify() {
        try (Connection c = dataSource.getConnection()) {
            Dialect dialect = dialect(c);
            ServerInfo server = dialect.describe(c);
            String current = dialect.tableExists(c, VERSION_TABLE) ? readCurrent(c, dialect, server) : null;
            int position = chain.position(current);
            Map<String, IndexSpec> expected = new LinkedHashMap<>();
            Map<String, String> declaredBy = new LinkedHashMap<>();
            boolean tableExpected = false;
            for (int i = 0; i <= position; i++) {
                for (MigrationStep step : chain.revisions().get(i).upgradeSteps()) {
                    if (step instanceof CreateEventsTableStep) {
                        tableExpected = true;
                    } else if (step instanceof DropTableStep d && d.table().equals(HostEventsRevisions.EVENTS)) {
                        tableExpected = false;
                    } else if (step instanceof CreateIndexStep ci) {
                        expected.put(ci.index().name(), ci.index());
                        declaredBy.put(ci.index().name(), chain.revisions().get(i).id());
                    } else if (step instanceof DropIndexStep di) {
                        expected.remove(di.index().name());
                    }
                }
            }
            List<String> drift = new ArrayList<>();
            List<String> advice = new ArrayList<>();
            boolean tablePresent = dialect.tableExists(c, HostEventsRevisions.EVENTS);
            if (tableExpected && !tablePresent) {
                drift.add("table events is missing");
            } else if (!tableExpected && tablePresent && current == null) {
                advice.add("table events exists but no revision is recorded; stamp the revision it matches");
            }
            if (tablePresent) {
                Map<String, LiveIndex> live = new LinkedHashMap<>();
                for (LiveIndex index : dialect.readIndexes(c, HostEventsRevisions.EVENTS)) {
                    live.put(index.name(), index);
                }
                for (IndexSpec declared : expected.values()) {
                    IndexSpec want = dialect.expectedIndex(declared, server);
                    LiveIndex have = live.get(want.name());
                    if (have == null) {
                        drift.add("index " + want.name() + " is missing (expected " + want.columns() + ")");
                    } else if (!have.valid()) {
                        drift.add("index " + want.name() + " is INVALID (a failed concurrent build); upgrade rebuilds it");
                    } else if (!have.matches(want)) {
                        // Built differently by an earlier server, by design (the log says so): advice, not drift.
                        Optional<IndexSpec> byDesign = dialect.indexBuiltByDesign(declared,
                                buildNotes(c, dialect, server).get(declaredBy.get(declared.name())), server);
                        if (byDesign.isPresent() && have.matches(byDesign.get())) {
                            advice.addAll(dialect.advice(declared, have, server));
                        } else {
                            drift.add("index " + want.name() + " is " + describe(have) + ", expected " + describe(want));
                        }
                    } else {
                        advice.addAll(dialect.advice(declared, have, server));
                    }
                }
                for (Revision r : chain.revisions()) {
                    for (MigrationStep step : r.upgradeSteps()) {
                        if (step instanceof CreateIndexStep ci && !expected.containsKey(ci.index().name())
                                && live.containsKey(ci.index().name())) {
                            drift.add("index " + ci.index().name() + " exists"
                                    + (live.get(ci.index().name()).valid() ? "" : " (INVALID: left by a failed concurrent build)")
                                    + " but revision " + (current == null ? "base" : current) + " does not have it");
                        }
                    }
                }
            }
            return new VerifyReport(current, drift, advice);
        } catch (SQLException e) {
            throw failure("verify", e);
        } catch (org.jooq.exception.DataAccessException e) {
            throw failure("verify", e);
        }
    }

    private static String describe(IndexSpec spec) {
        return (spec.unique() ? "unique " : "") + spec.columns();
    }

    /** The note of the latest upgrade of each revision in the log (a later upgrade supersedes an earlier one). */
    private static Map<String, String> buildNotes(Connection c, Dialect dialect, ServerInfo server) throws SQLException {
        Map<String, String> notes = new java.util.HashMap<>();
        if (!dialect.tableExists(c, LOG_TABLE)) {
            return notes;
        }
        for (Record r : Jooq.on(c, dialect, server).select(field(name("revision")), field(name("note")))
                .from(table(name(LOG_TABLE)))
                .where(field(name("direction")).eq(Direction.UPGRADE.word()))
                .orderBy(field(name("started_at")), field(name("finished_at")))
                .fetch()) {
            notes.put(r.get(0, String.class), r.get(1, String.class));
        }
        return notes;
    }

    private static String describe(LiveIndex index) {
        return (index.unique() ? "unique " : "") + index.columns();
    }

    // ------------------------------------------------------------------ offline SQL

    /**
     * Offline SQL for a range of the built-in chain, no connection needed.
     *
     * @param direction upgrade or downgrade
     * @param range {@code from:to}, or just {@code to} (from base for upgrade, from head for downgrade)
     * @param dialect the dialect to render for
     * @param server the server version to render for ({@link Dialect#offlineServer})
     */
    public static String sql(Direction direction, String range, Dialect dialect, ServerInfo server) {
        return sql(RevisionChain.builtIn(), direction, range, dialect, server);
    }

    /** Offline SQL for a range of {@code chain}. */
    public static String sql(RevisionChain chain, Direction direction, String range, Dialect dialect, ServerInfo server) {
        String r = range == null || range.isBlank() ? (direction == Direction.UPGRADE ? "base:head" : "head:base") : range.trim();
        String fromSpec;
        String toSpec;
        int colon = r.indexOf(':');
        if (colon >= 0) {
            fromSpec = r.substring(0, colon);
            toSpec = r.substring(colon + 1);
        } else {
            fromSpec = direction == Direction.UPGRADE ? "base" : "head";
            toSpec = r;
        }
        if (fromSpec.startsWith("+") || fromSpec.startsWith("-")) {
            throw new ValidationException("range", "start must be base, head or a revision id");
        }
        int from = chain.resolve(fromSpec, null);
        int to = chain.resolve(toSpec, chain.idAt(from));
        if (direction == Direction.UPGRADE && to < from || direction == Direction.DOWNGRADE && to > from) {
            throw new ValidationException("range", "goes the wrong way for " + direction.word());
        }
        RenderContext ctx = Jooq.renderContext(dialect, server);
        StringBuilder out = new StringBuilder();
        out.append("-- hostevents ").append(direction.word()).append(' ').append(r)
                .append(" for ").append(dialect.name()).append(' ').append(server.version()).append('\n');
        if (from == -1 && direction == Direction.UPGRADE) {
            out.append('\n').append(ctx.inline(versionTableDdl(ctx.dsl()))).append(";\n");
        }
        int pos = from;
        while (pos != to) {
            Revision rev = chain.revisions().get(direction == Direction.UPGRADE ? pos + 1 : pos);
            Transition t = direction == Direction.UPGRADE
                    ? new Transition(direction, rev.downRevision(), rev.id(), rev.message())
                    : new Transition(direction, rev.id(), rev.downRevision(), rev.message());
            out.append("\n-- ").append(t.alembicLine()).append('\n');
            for (MigrationStep step : direction == Direction.UPGRADE ? rev.upgradeSteps() : rev.downgradeSteps()) {
                String buildNote = step instanceof CreateIndexStep ci ? dialect.buildNote(ci.index(), server) : null;
                if (buildNote != null) {
                    out.append("-- ").append(buildNote).append('\n');
                }
                for (RenderedStatement s : step.render(ctx)) {
                    if (s.comment() != null) {
                        out.append("-- ").append(s.comment()).append('\n');
                    }
                    out.append(s.sql()).append(";\n");
                }
            }
            out.append(ctx.inline(versionUpdate(ctx.dsl(), t.from(), t.to()))).append(";\n");
            pos += direction == Direction.UPGRADE ? 1 : -1;
        }
        if (from == to) {
            out.append("-- nothing to do\n");
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ the run

    private MigrationResult run(Direction direction, String target, boolean allowDataLoss) {
        try (Connection c = dataSource.getConnection()) {
            Dialect dialect = dialect(c);
            ServerInfo server = dialect.describe(c);
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(true);
            try {
                ensureBookkeeping(c, dialect, server);
                try (MigrationLock lock = lock(c, dialect)) {
                    return runLocked(c, dialect, server, direction, target, allowDataLoss);
                }
            } finally {
                // A connection the server killed is closed: restoring it would hide the real error.
                if (!c.isClosed()) {
                    c.setAutoCommit(autoCommit);
                }
            }
        } catch (SQLException e) {
            throw failure(direction.word(), e);
        } catch (org.jooq.exception.DataAccessException e) {
            throw failure(direction.word(), e);
        }
    }

    private MigrationResult runLocked(Connection c, Dialect dialect, ServerInfo server, Direction direction, String target,
            boolean allowDataLoss) throws SQLException {
        RenderContext ctx = Jooq.renderContext(dialect, server);
        List<Transition> done = new ArrayList<>();
        Integer resolved = null;
        while (true) {
            dialect.beginRevision(c);
            String current;
            Transition transition;
            List<MigrationStep> steps;
            try {
                current = readCurrent(c, dialect, server);
                int position = chain.position(current);
                if (resolved == null) {
                    resolved = chain.resolve(target, current);
                    if (direction == Direction.UPGRADE && resolved < position) {
                        throw new ValidationException("target", "is older than the current revision " + current + "; use downgrade");
                    }
                    if (direction == Direction.DOWNGRADE && resolved > position) {
                        throw new ValidationException("target", "is newer than the current revision "
                                + (current == null ? "base" : current) + "; use upgrade");
                    }
                    if (direction == Direction.DOWNGRADE) {
                        // Refuse before the first revision runs, not halfway down the chain.
                        for (int p = position; p > resolved; p--) {
                            checkDataLoss(c, dialect, chain.revisions().get(p).downgradeSteps(), allowDataLoss);
                        }
                    }
                }
                boolean finished = direction == Direction.UPGRADE ? position >= resolved : position <= resolved;
                if (finished) {
                    dialect.commitRevision(c);
                    return new MigrationResult(done, current);
                }
                Revision rev = chain.revisions().get(direction == Direction.UPGRADE ? position + 1 : position);
                transition = direction == Direction.UPGRADE
                        ? new Transition(direction, current, rev.id(), rev.message())
                        : new Transition(direction, current, rev.downRevision(), rev.message());
                steps = direction == Direction.UPGRADE ? rev.upgradeSteps() : rev.downgradeSteps();
            } catch (RuntimeException | SQLException e) {
                dialect.rollbackRevision(c);
                throw e;
            }
            applyRevision(c, dialect, server, ctx, transition, steps);
            done.add(transition);
        }
    }

    private void applyRevision(Connection c, Dialect dialect, ServerInfo server, RenderContext ctx, Transition t,
            List<MigrationStep> steps) throws SQLException {
        LOG.info(t.alembicLine());
        Instant started = Instant.now();
        List<String> ran = new ArrayList<>();
        String note = null;
        boolean inTransaction = true;
        try {
            listener.beforeDdl(t);
            dialect.beforeDdl(c, lockTimeout);
            for (MigrationStep step : steps) {
                List<RenderedStatement> statements = step.render(ctx);
                List<RenderedStatement> repair = new ArrayList<>();
                boolean needed = needed(c, dialect, server, ctx, step, statements, repair);
                if (step instanceof CreateIndexStep ci) {
                    // Also when an interrupted run already built the index: the note says how it was built.
                    note = Objects.requireNonNullElse(dialect.buildNote(ci.index(), server), note == null ? "" : note);
                    note = note.isEmpty() ? null : note;
                }
                if (!needed) {
                    continue;
                }
                // Repairs (dropping an INVALID index) may have to run outside a transaction too
                // (DROP INDEX CONCURRENTLY); they are not the revision's SQL, so not in its checksum.
                for (RenderedStatement s : repair) {
                    if (s.outsideTransaction() && inTransaction) {
                        dialect.commitRevision(c);
                        inTransaction = false;
                    }
                    execute(c, dialect, s.sql());
                }
                for (RenderedStatement s : statements) {
                    if (s.outsideTransaction() && inTransaction) {
                        dialect.commitRevision(c);
                        inTransaction = false;
                    }
                    execute(c, dialect, s.sql());
                    ran.add(s.sql());
                }
            }
            listener.afterDdl(t);
            if (!inTransaction) {
                // Only the version update and the log remain: record them in a transaction of their own.
                dialect.beginRevision(c);
                inTransaction = true;
                String now = readCurrent(c, dialect, server);
                if (!Objects.equals(now, t.from())) {
                    throw new HostEventsException("alembic_version changed to " + now + " while " + t.alembicLine()
                            + " ran; another tool migrated the database concurrently");
                }
            }
            writeVersion(c, dialect, server, t.from(), t.to());
            writeLog(c, dialect, server, t, t.direction().word(), String.join(";\n", ran), started, note);
            dialect.commitRevision(c);
            inTransaction = false;
            dialect.afterDdl(c);
        } catch (RuntimeException | SQLException e) {
            if (inTransaction) {
                try {
                    dialect.rollbackRevision(c);
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            try {
                dialect.afterDdl(c);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof SQLException sql && dialect.isLockTimeout(sql)) {
                throw new MigrationLockTimeoutException(t.alembicLine() + " waited longer than the lock timeout ("
                        + lockTimeout.toMillis() + " ms) for a lock held by another transaction; nothing of it was recorded", sql);
            }
            throw e;
        }
        listener.afterRevision(t);
    }

    /**
     * Whether a built-in step still has to run, judged from the live schema: this is what makes a
     * revision interrupted between its DDL and its version update safe to run again.
     *
     * @param repair receives statements to run before the step, e.g. dropping an INVALID index left by
     *     a failed concurrent build (the caller runs them, honouring {@link RenderedStatement#outsideTransaction()})
     */
    private boolean needed(Connection c, Dialect dialect, ServerInfo server, RenderContext ctx, MigrationStep step,
            List<RenderedStatement> statements, List<RenderedStatement> repair) throws SQLException {
        if (step instanceof CreateEventsTableStep) {
            if (dialect.tableExists(c, HostEventsRevisions.EVENTS)) {
                LOG.warn("table events already exists; keeping it (verify checks its indexes)");
                return false;
            }
            return true;
        }
        if (step instanceof DropTableStep d) {
            return dialect.tableExists(c, d.table());
        }
        if (step instanceof CreateIndexStep ci) {
            IndexSpec want = dialect.expectedIndex(ci.index(), server);
            Optional<LiveIndex> live = liveIndex(c, dialect, want);
            if (live.isEmpty()) {
                return true;
            }
            if (!live.get().valid()) {
                LOG.warn("index {} exists but is INVALID (an earlier concurrent build failed); dropping and rebuilding it", want.name());
                repair.addAll(dialect.dropIndex(want, ctx));
                return true;
            }
            if (live.get().matches(want)) {
                LOG.info("index {} already exists as expected; recording the revision without rebuilding it", want.name());
                return false;
            }
            throw new SchemaDriftException(List.of("index " + want.name() + " already exists as " + describe(live.get())
                    + ", expected " + describe(want) + "; drop it or fix it by hand, then upgrade again"));
        }
        if (step instanceof DropIndexStep di) {
            return liveIndex(c, dialect, di.index()).isPresent();
        }
        return true;
    }

    private static Optional<LiveIndex> liveIndex(Connection c, Dialect dialect, IndexSpec index) throws SQLException {
        if (!dialect.tableExists(c, index.table())) {
            return Optional.empty();
        }
        return dialect.readIndexes(c, index.table()).stream().filter(i -> i.name().equals(index.name())).findFirst();
    }

    private void checkDataLoss(Connection c, Dialect dialect, List<MigrationStep> steps, boolean allowDataLoss) throws SQLException {
        for (MigrationStep step : steps) {
            if (step instanceof DropTableStep d && d.table().equals(HostEventsRevisions.EVENTS) && !allowDataLoss
                    && dialect.tableExists(c, d.table())) {
                long rows;
                try (Statement s = c.createStatement();
                        var rs = s.executeQuery("SELECT COUNT(*) FROM " + HostEventsRevisions.EVENTS)) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                throw new DataLossRefusedException("downgrade to base drops table events with " + rows
                        + " row(s); refusing without the explicit data-loss flag (allowDataLoss / --allow-data-loss)", rows);
            }
        }
    }

    private static void execute(Connection c, Dialect dialect, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    // ------------------------------------------------------------------ bookkeeping

    private MigrationLock lock(Connection c, Dialect dialect) throws SQLException {
        return dialect.acquireMigrationLock(c, dataSource, migrationLockWait);
    }

    private void ensureBookkeeping(Connection c, Dialect dialect, ServerInfo server) throws SQLException {
        DSLContext dsl = Jooq.on(c, dialect, server);
        if (!dialect.tableExists(c, VERSION_TABLE)) {
            createRacing(c, dialect, VERSION_TABLE, () -> dsl.execute(versionTableDdl(dsl)));
        }
        if (!dialect.tableExists(c, LOG_TABLE)) {
            createRacing(c, dialect, LOG_TABLE, () -> dsl.createTableIfNotExists(name(LOG_TABLE))
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

    /** Two migrators may both see the table missing; the loser's failure is fine if the table now exists. */
    private static void createRacing(Connection c, Dialect dialect, String table, SqlAction create) throws SQLException {
        try {
            create.run();
        } catch (org.jooq.exception.DataAccessException e) {
            if (!dialect.tableExists(c, table)) {
                throw e;
            }
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }

    private static org.jooq.Query versionTableDdl(DSLContext dsl) {
        return dsl.createTableIfNotExists(name(VERSION_TABLE))
                .column(name("version_num"), SQLDataType.VARCHAR(32).nullable(false))
                .constraint(org.jooq.impl.DSL.constraint(name("alembic_version_pkc")).primaryKey(name("version_num")));
    }

    private static org.jooq.Query versionUpdate(DSLContext dsl, String from, String to) {
        var table = table(name(VERSION_TABLE));
        var column = field(name("version_num"), String.class);
        if (from == null) {
            return dsl.insertInto(table).columns(column).values(to);
        }
        if (to == null) {
            return dsl.deleteFrom(table).where(column.eq(from));
        }
        return dsl.update(table).set(column, to).where(column.eq(from));
    }

    private String readCurrent(Connection c, Dialect dialect, ServerInfo server) {
        List<String> rows = Jooq.on(c, dialect, server).select(field(name("version_num"), String.class))
                .from(table(name(VERSION_TABLE))).fetch(0, String.class);
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

    private void writeVersion(Connection c, Dialect dialect, ServerInfo server, String from, String to) {
        int updated = Jooq.on(c, dialect, server).execute(versionUpdate(Jooq.on(c, dialect, server), from, to));
        if (from != null && updated != 1) {
            throw new HostEventsException("alembic_version was not at " + from + " when recording " + to
                    + "; another migrator changed it concurrently");
        }
    }

    private void writeLog(Connection c, Dialect dialect, ServerInfo server, Transition t, String kind, String sql,
            Instant started, String note) {
        Instant finished = Instant.now();
        Jooq.on(c, dialect, server).insertInto(table(name(LOG_TABLE)))
                .columns(field(name("revision")), field(name("direction")), field(name("from_revision")),
                        field(name("to_revision")), field(name("checksum")), field(name("started_at")),
                        field(name("finished_at")), field(name("duration_ms")), field(name("applied_by")), field(name("note")))
                .values(t.revision() == null ? "" : t.revision(), kind, t.from(), t.to(), sha256(sql), LOG_TIME.format(started),
                        LOG_TIME.format(finished), Duration.between(started, finished).toMillis(), appliedBy(), note)
                .execute();
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

    private Dialect dialect(Connection c) throws SQLException {
        return dialectOverride != null ? dialectOverride : Dialects.forConnection(c);
    }

    /**
     * A statement run through jOOQ failed (e.g. the server ended the connection): the same
     * {@link DatabaseAccessException} as for a statement run through JDBC, never jOOQ's own exception.
     */
    private static DatabaseAccessException failure(String operation, org.jooq.exception.DataAccessException e) {
        SQLException sql = e.getCause(SQLException.class);
        if (sql != null) {
            return failure(operation, sql);
        }
        return new DatabaseAccessException(operation + " failed: " + HostCodes.maskAll(e.getMessage()), e);
    }

    private static DatabaseAccessException failure(String operation, SQLException e) {
        return new DatabaseAccessException(operation + " failed: " + HostCodes.maskAll(e.getMessage())
                + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")"), e);
    }

    /** Configures a {@link Migrator}. */
    public static final class Builder {
        private final DataSource dataSource;
        private RevisionChain chain = RevisionChain.builtIn();
        private Dialect dialect;
        private Duration lockTimeout = Duration.ofSeconds(10);
        private Duration migrationLockWait = Duration.ofMinutes(2);
        private MigrationListener listener = MigrationListener.NONE;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** The chain to run (default {@link RevisionChain#builtIn()}, to which users may append). */
        public Builder chain(RevisionChain value) {
            this.chain = Objects.requireNonNull(value, "chain");
            return this;
        }

        /** Uses this dialect instead of picking one from the database. */
        public Builder dialect(Dialect value) {
            this.dialect = Objects.requireNonNull(value, "dialect");
            return this;
        }

        /** Uses the dialect with this name. */
        public Builder dialect(String name) {
            this.dialect = Dialects.byName(name);
            return this;
        }

        /**
         * How long one DDL statement may wait for a table lock held by another transaction before the
         * revision fails with {@link MigrationLockTimeoutException} (default 10 s). Keeps a migration
         * from queueing behind a long transaction while blocking every query behind itself.
         */
        public Builder lockTimeout(Duration value) {
            this.lockTimeout = positive("lock_timeout", value);
            return this;
        }

        /** How long to wait for another migrator to finish (default 2 min). */
        public Builder migrationLockWait(Duration value) {
            this.migrationLockWait = positive("migration_lock_wait", value);
            return this;
        }

        /** Hooks called around each revision. */
        public Builder listener(MigrationListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        public Migrator build() {
            return new Migrator(this);
        }

        private static Duration positive(String field, Duration value) {
            if (value == null || value.isNegative() || value.isZero() || value.toMillis() > 24L * 3600 * 1000) {
                throw new ValidationException(field, "must be a positive duration of at most 24 hours");
            }
            return value;
        }
    }
}
