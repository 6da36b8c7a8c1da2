package dev.hostevents.dialect.h2;

import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.DialectProvider;
import dev.hostevents.spi.ServerInfo;
import org.jooq.SQLDialect;

/**
 * H2 2.x, for fast tests and for users who embed H2. What differs from the SPI's defaults, by role:
 * <ul>
 *   <li>{@link H2Schema}: index directions read with jooq-meta's {@code H2Database}; otherwise the
 *       defaults — {@code created_at} is {@code TIMESTAMP(6)} and the composite index keeps
 *       {@code DESC}.</li>
 *   <li>{@link H2Migration}: DDL is not transactional (H2 commits before DDL), so the steps' live
 *       checks repair an interrupted revision; the migration lock is a row held {@code FOR UPDATE} by
 *       a second connection.</li>
 *   <li>{@link H2Queries}: page order led by {@code host_code} and an index hint, so H2 reads the
 *       composite index in order; its own EXPLAIN check.</li>
 * </ul>
 */
public final class H2DialectProvider implements DialectProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public H2DialectProvider() {
    }

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public boolean handles(ServerInfo server) {
        return server.productKey().equals("h2");
    }

    @Override
    public ServerInfo offlineServer(String alias, String version) {
        return ServerInfo.of("H2", version == null ? "2.3" : version);
    }

    /** Every H2 2.x behaves the same here: nothing depends on the version. */
    @Override
    public Dialect bind(ServerInfo server) {
        return Dialect.of(name(), server, SQLDialect.H2, new H2Schema(), new H2Migration(), new H2Queries());
    }
}
