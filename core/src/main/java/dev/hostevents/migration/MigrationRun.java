package dev.hostevents.migration;

import dev.hostevents.ValidationException;
import dev.hostevents.internal.Jooq;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.MigrationLock;
import dev.hostevents.spi.MigrationRole;
import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@code upgrade}, {@code downgrade} or {@code stamp} on the migration's own connection:
 * bookkeeping tables ensured, the dialect's migration lock held for the whole run, then one revision
 * at a time — read the version, let each step plan itself against the live catalog, run what is
 * needed, record version and log. Where the dialect has transactional DDL a revision is one
 * transaction; statements that must run outside one (PostgreSQL {@code CONCURRENTLY}) end it, and the
 * version is then recorded in a transaction of its own after checking nobody else moved it.
 */
final class MigrationRun {
    private static final Logger LOG = LoggerFactory.getLogger("dev.hostevents.migration");

    private final Connection connection;
    private final DataSource dataSource;
    private final Dialect dialect;
    private final MigrationRole mechanics;
    private final RevisionChain chain;
    private final VersionTable versions;
    private final LiveCatalog catalog;
    private final RenderContext ctx;
    private final Duration lockTimeout;
    private final Duration lockWait;
    private final MigrationListener listener;

    MigrationRun(Connection connection, DataSource dataSource, Dialect dialect, RevisionChain chain, Duration lockTimeout,
            Duration lockWait, MigrationListener listener) {
        this.connection = connection;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.mechanics = dialect.migration();
        this.chain = chain;
        this.versions = new VersionTable(connection, dialect, chain);
        this.catalog = new LiveCatalog(connection, dialect.schema());
        this.ctx = Jooq.renderContext(dialect);
        this.lockTimeout = lockTimeout;
        this.lockWait = lockWait;
        this.listener = listener;
    }

    /** Upgrades or downgrades to {@code target} under the migration lock. */
    MigrationResult migrate(Direction direction, String target, boolean allowDataLoss) throws SQLException {
        return locked(() -> runLocked(direction, target, allowDataLoss));
    }

    /** Records {@code revision} without running a step. */
    void stamp(String revision) throws SQLException {
        locked(() -> {
            mechanics.beginRevision(connection);
            try {
                String current = versions.readCurrent();
                String target = chain.idAt(chain.resolve(revision, current));
                versions.write(current, target);
                versions.log(new Transition(Direction.UPGRADE, current, target, "stamp"), "stamp", "", Instant.now(), null);
                mechanics.commitRevision(connection);
                LOG.info("Stamped {} -> {}", current == null ? "" : current, target == null ? "" : target);
                return null;
            } catch (RuntimeException | SQLException e) {
                mechanics.rollbackRevision(connection);
                throw e;
            }
        });
    }

    @FunctionalInterface
    private interface LockedWork<T> {
        T run() throws SQLException;
    }

    private <T> T locked(LockedWork<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try {
            versions.ensure();
            try (MigrationLock lock = mechanics.acquireLock(connection, dataSource, lockWait)) {
                return work.run();
            }
        } finally {
            // A connection the server killed is closed: restoring it would hide the real error.
            if (!connection.isClosed()) {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private MigrationResult runLocked(Direction direction, String target, boolean allowDataLoss) throws SQLException {
        List<Transition> done = new ArrayList<>();
        Integer resolved = null;
        while (true) {
            mechanics.beginRevision(connection);
            Revision rev;
            String current;
            try {
                current = versions.readCurrent();
                int position = chain.position(current);
                if (resolved == null) {
                    resolved = resolveTarget(direction, target, current, position, allowDataLoss);
                }
                boolean finished = direction == Direction.UPGRADE ? position >= resolved : position <= resolved;
                if (finished) {
                    mechanics.commitRevision(connection);
                    return new MigrationResult(done, current);
                }
                rev = chain.revisions().get(direction == Direction.UPGRADE ? position + 1 : position);
            } catch (RuntimeException | SQLException e) {
                mechanics.rollbackRevision(connection);
                throw e;
            }
            Transition transition = new Transition(direction, current,
                    direction == Direction.UPGRADE ? rev.id() : rev.downRevision(), rev.message());
            apply(transition, rev.steps(direction));
            done.add(transition);
        }
    }

    private int resolveTarget(Direction direction, String target, String current, int position, boolean allowDataLoss)
            throws SQLException {
        int resolved = chain.resolve(target, current);
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
                for (MigrationStep step : chain.revisions().get(p).downgradeSteps()) {
                    step.checkDataLoss(catalog, allowDataLoss);
                }
            }
        }
        return resolved;
    }

    private void apply(Transition t, List<MigrationStep> steps) throws SQLException {
        LOG.info(t.alembicLine());
        Instant started = Instant.now();
        List<String> ran = new ArrayList<>();
        String note = null;
        boolean inTransaction = true;
        try {
            listener.beforeDdl(t);
            mechanics.beforeDdl(connection, lockTimeout);
            for (MigrationStep step : steps) {
                List<RenderedStatement> statements = step.render(ctx);
                StepPlan plan = step.plan(catalog, ctx);
                String stepNote = step.buildNote(ctx);
                note = stepNote != null ? stepNote : note;
                if (!plan.needed()) {
                    continue;
                }
                for (RenderedStatement s : plan.repairs()) {
                    inTransaction = leaveTransactionIfNeeded(s, inTransaction);
                    execute(s.sql());
                }
                for (RenderedStatement s : statements) {
                    inTransaction = leaveTransactionIfNeeded(s, inTransaction);
                    execute(s.sql());
                    ran.add(s.sql());
                }
            }
            listener.afterDdl(t);
            if (!inTransaction) {
                // Only the version update and the log remain: record them in a transaction of their own.
                mechanics.beginRevision(connection);
                inTransaction = true;
                String now = versions.readCurrent();
                if (!Objects.equals(now, t.from())) {
                    throw new ConcurrentMigrationException("alembic_version changed to " + now + " while " + t.alembicLine()
                            + " ran; another tool migrated the database concurrently");
                }
            }
            versions.write(t.from(), t.to());
            versions.log(t, t.direction().word(), String.join(";\n", ran), started, note);
            mechanics.commitRevision(connection);
            inTransaction = false;
            mechanics.afterDdl(connection);
        } catch (RuntimeException | SQLException e) {
            if (inTransaction) {
                try {
                    mechanics.rollbackRevision(connection);
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            try {
                mechanics.afterDdl(connection);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof SQLException sql && mechanics.isLockTimeout(sql)) {
                throw new MigrationLockTimeoutException(t.alembicLine() + " waited longer than the lock timeout ("
                        + lockTimeout.toMillis() + " ms) for a lock held by another transaction; nothing of it was recorded", sql);
            }
            throw e;
        }
        listener.afterRevision(t);
    }

    /** A statement that must run outside a transaction block commits what the revision did so far. */
    private boolean leaveTransactionIfNeeded(RenderedStatement s, boolean inTransaction) throws SQLException {
        if (s.outsideTransaction() && inTransaction) {
            mechanics.commitRevision(connection);
            return false;
        }
        return inTransaction;
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }
}
