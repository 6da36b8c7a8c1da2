package dev.hostevents.migration;

import dev.hostevents.DatabaseAccessException;
import dev.hostevents.HostCodes;
import dev.hostevents.ValidationException;
import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.DialectProvider;
import dev.hostevents.spi.Dialects;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Runs the revision chain against a database: Alembic's commands, with Alembic's own version table,
 * so a database migrated by Alembic is continued here and one migrated here can be handed back.
 *
 * <ul>
 *   <li>Two migrators at once: the dialect's migration lock keeps them apart; the second waits, then
 *       finds nothing to do.</li>
 *   <li>Each revision is applied and recorded in one transaction where the database has
 *       transactional DDL; elsewhere each built-in step checks the live schema first
 *       ({@link MigrationStep#plan}), so a run that died between the DDL and the version update is
 *       repaired by the next run, never applied twice.</li>
 *   <li>An unknown revision in {@code alembic_version} is refused ({@link UnknownRevisionException}),
 *       nothing touched. Dropping the {@code events} table needs {@code allowDataLoss}.</li>
 * </ul>
 *
 * <p>Each applied revision is logged at INFO on {@code dev.hostevents.migration} with Alembic's line,
 * and recorded in {@code hostevents_migration_log} with the checksum of the SQL that ran.
 *
 * <p>The work is split: this class holds the configuration and the commands; a run
 * ({@code MigrationRun}), the bookkeeping tables ({@code VersionTable}), {@code verify}
 * ({@code SchemaVerifier}) and offline SQL ({@code OfflineSql}) are classes of their own.
 */
public final class Migrator {
    /** Alembic's version table. */
    public static final String VERSION_TABLE = "alembic_version";
    /** Our log of applied revisions. */
    public static final String LOG_TABLE = "hostevents_migration_log";

    private final DataSource dataSource;
    private final RevisionChain chain;
    private final DialectProvider provider;
    private final Dialect bound;
    private final Duration lockTimeout;
    private final Duration migrationLockWait;
    private final MigrationListener listener;

    private Migrator(Builder b) {
        this.dataSource = b.dataSource;
        this.chain = b.chain;
        this.provider = b.provider;
        this.bound = b.bound;
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
     * @throws ConcurrentMigrationException when another tool moved {@code alembic_version} during the run
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

    private MigrationResult run(Direction direction, String target, boolean allowDataLoss) {
        return withConnection(direction.word(), (c, dialect) ->
                new MigrationRun(c, dataSource, dialect, chain, lockTimeout, migrationLockWait, listener)
                        .migrate(direction, target, allowDataLoss));
    }

    /** The revision recorded in {@code alembic_version}; empty for a new database. Creates nothing. */
    public Optional<String> current() {
        return withConnection("current", (c, dialect) -> {
            String current = new VersionTable(c, dialect, chain).currentOrBase();
            chain.position(current);
            return Optional.ofNullable(current);
        });
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
        return withConnection("log", (c, dialect) -> new VersionTable(c, dialect, chain).entries());
    }

    /**
     * Records {@code revision} in {@code alembic_version} without running any step ({@code base}
     * clears it). For a database whose schema was made by other means.
     */
    public void stamp(String revision) {
        withConnection("stamp", (c, dialect) -> {
            new MigrationRun(c, dataSource, dialect, chain, lockTimeout, migrationLockWait, listener).stamp(revision);
            return null;
        });
    }

    /**
     * Compares the live schema with the one the recorded revision promises: the table, each index's
     * columns, their directions (as this server can build them), uniqueness and validity.
     */
    public VerifyReport verify() {
        return withConnection("verify", (c, dialect) -> new SchemaVerifier(c, dialect, chain).verify());
    }

    // ------------------------------------------------------------------ offline SQL

    /**
     * Offline SQL for a range of the built-in chain, no connection needed.
     *
     * @param direction upgrade or downgrade
     * @param range {@code from:to}, or just {@code to} (from base for upgrade, from head for downgrade)
     * @param dialect the dialect bound to the server version to render for ({@link Dialects#offline})
     */
    public static String sql(Direction direction, String range, Dialect dialect) {
        return sql(RevisionChain.builtIn(), direction, range, dialect);
    }

    /** Offline SQL for a range of {@code chain}. */
    public static String sql(RevisionChain chain, Direction direction, String range, Dialect dialect) {
        return OfflineSql.render(chain, direction, range, dialect);
    }

    // ------------------------------------------------------------------ plumbing

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection, Dialect dialect) throws SQLException;
    }

    /**
     * Borrows a connection, binds the dialect to its server and runs {@code work}; a driver failure, or
     * a statement run through jOOQ that failed, becomes a {@link DatabaseAccessException}, never
     * jOOQ's own exception.
     */
    private <T> T withConnection(String operation, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            Dialect dialect = bound != null ? bound : Dialects.forConnection(c, provider);
            return work.run(c, dialect);
        } catch (SQLException e) {
            throw DatabaseAccessException.of(operation, e);
        } catch (org.jooq.exception.DataAccessException e) {
            SQLException sql = e.getCause(SQLException.class);
            if (sql != null) {
                throw DatabaseAccessException.of(operation, sql);
            }
            throw new DatabaseAccessException(operation + " failed: " + HostCodes.maskAll(e.getMessage()), e);
        }
    }

    /** Configures a {@link Migrator}. */
    public static final class Builder {
        private final DataSource dataSource;
        private RevisionChain chain = RevisionChain.builtIn();
        private DialectProvider provider;
        private Dialect bound;
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

        /** Uses this provider instead of the one picked from the database; it is bound to the server on each call. */
        public Builder dialect(DialectProvider value) {
            this.provider = Objects.requireNonNull(value, "dialect");
            this.bound = null;
            return this;
        }

        /**
         * Uses this dialect, already bound to the database's server, as it is (e.g. one with a role
         * replaced by {@link Dialect#with}).
         */
        public Builder dialect(Dialect value) {
            this.bound = Objects.requireNonNull(value, "dialect");
            this.provider = null;
            return this;
        }

        /** Uses the dialect with this name. */
        public Builder dialect(String name) {
            return dialect(Dialects.byName(name));
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

        /** Builds the migrator; connects to nothing until a command runs. */
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
