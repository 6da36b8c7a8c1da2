package dev.hostevents.spi;

import java.util.Objects;
import org.jooq.SQLDialect;

/**
 * A dialect bound to one server (product and version), opened by a {@link DialectProvider}. It is
 * the one place where a database difference lives, split by what the difference is about:
 *
 * <ul>
 *   <li>{@link #schema()} — rendering DDL for migration steps, reading the live catalog, and what the
 *       server really builds (e.g. an old MySQL drops {@code DESC});</li>
 *   <li>{@link #migration()} — the migration lock, transactions around DDL, lock timeouts and their
 *       error codes;</li>
 *   <li>{@link #queries()} — the store's statements: page order, keyset predicate, timestamp binding,
 *       the insert, error classes of writes, and EXPLAIN.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe: one instance serves every call of a store or migrator. Roles are
 * small interfaces, so a test or a benchmark wraps one role without touching the others.
 */
public interface Dialect {

    /** The provider's name, e.g. {@code postgres}. */
    String name();

    /** The server this dialect is bound to. */
    ServerInfo server();

    /** The jOOQ dialect that renders SQL for this server. */
    SQLDialect sqlDialect();

    /** DDL and the live catalog. */
    SchemaRole schema();

    /** Locks, transactions and timeouts of a migration run. */
    MigrationRole migration();

    /** The event store's statements. */
    QueryRole queries();

    /** A dialect made of its parts; what most providers return from {@link DialectProvider#bind}. */
    static Dialect of(String name, ServerInfo server, SQLDialect sqlDialect, SchemaRole schema, MigrationRole migration,
            QueryRole queries) {
        return new Bound(name, server, sqlDialect, schema, migration, queries);
    }

    /** The same dialect with one role replaced (for tests and benchmarks that change one behaviour). */
    default Dialect with(SchemaRole schema) {
        return of(name(), server(), sqlDialect(), schema, migration(), queries());
    }

    /** The same dialect with the migration role replaced. */
    default Dialect with(MigrationRole migration) {
        return of(name(), server(), sqlDialect(), schema(), migration, queries());
    }

    /** The same dialect with the query role replaced. */
    default Dialect with(QueryRole queries) {
        return of(name(), server(), sqlDialect(), schema(), migration(), queries);
    }

    /** The plain implementation behind {@link #of}. */
    record Bound(String name, ServerInfo server, SQLDialect sqlDialect, SchemaRole schema, MigrationRole migration,
            QueryRole queries) implements Dialect {
        public Bound {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(sqlDialect, "sqlDialect");
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(migration, "migration");
            Objects.requireNonNull(queries, "queries");
        }

        @Override
        public String toString() {
            return name + " on " + server;
        }
    }
}
