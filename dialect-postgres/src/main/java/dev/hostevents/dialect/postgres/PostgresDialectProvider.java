package dev.hostevents.dialect.postgres;

import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.DialectProvider;
import dev.hostevents.spi.RenderedStatement;
import dev.hostevents.spi.ServerInfo;
import java.util.List;
import org.jooq.SQLDialect;

/**
 * PostgreSQL (11 or newer; tested on 17) through pgjdbc; names {@code postgres}, {@code postgresql},
 * {@code pg}. What differs from the SPI's defaults, by role:
 * <ul>
 *   <li>{@link PostgresSchema}: an index added to an existing table is built with
 *       {@code CREATE INDEX CONCURRENTLY} and dropped with {@code DROP INDEX CONCURRENTLY}: writers
 *       keep working during the build. Both must run outside a transaction block, so the statements
 *       are marked {@link RenderedStatement#outsideTransaction()}; the migrator commits first and
 *       records the revision in a transaction of its own afterwards. An index on a table created in
 *       the same revision (the four indexes of the initial schema) is built in the same transaction as
 *       the (new, empty) table, with plain DDL. A killed or failed concurrent build leaves an
 *       {@code INVALID} index ({@code indisvalid = false}); the catalog reader reports it so that
 *       {@code verify} calls it drift and {@code upgrade} drops and rebuilds it. {@code created_at} is
 *       {@code timestamp(6)} holding UTC.</li>
 *   <li>{@link PostgresMigration}: transactional DDL; DDL runs under {@code SET lock_timeout} (the
 *       migrator's {@code lockTimeout}), reset after the revision, a timeout is SQLState
 *       {@code 55P03}; the migration lock is a session-level {@code pg_advisory_lock} on
 *       {@link PostgresMigration#MIGRATION_LOCK_KEY}, taken by polling.</li>
 *   <li>{@link PostgresQueries}: {@code created_at} values are bound as text with an explicit
 *       {@code +00} offset so a user's {@code timestamptz} column works too; page order
 *       {@code created_at DESC, id ASC}: PostgreSQL reads the index in order and sorts only rows tied
 *       on {@code created_at} (an Incremental Sort), whichever the tie-break; unique violations are
 *       only {@code 23505}; {@code RETURNING id}; {@code EXPLAIN (FORMAT JSON)} read by
 *       {@link ExplainPlan}.</li>
 * </ul>
 */
public final class PostgresDialectProvider implements DialectProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public PostgresDialectProvider() {
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public List<String> aliases() {
        return List.of("postgresql", "pg");
    }

    @Override
    public boolean handles(ServerInfo server) {
        return server.productKey().equals("postgresql");
    }

    @Override
    public ServerInfo offlineServer(String alias, String version) {
        return ServerInfo.of("PostgreSQL", version == null || version.isBlank() ? "17" : version.trim());
    }

    /** Every supported PostgreSQL behaves the same here: nothing depends on the version. */
    @Override
    public Dialect bind(ServerInfo server) {
        return Dialect.of("postgres", server, SQLDialect.POSTGRES, new PostgresSchema(), new PostgresMigration(),
                new PostgresQueries());
    }
}
