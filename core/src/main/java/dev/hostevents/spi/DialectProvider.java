package dev.hostevents.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Recognises one kind of database and opens a {@link Dialect} bound to a server of that kind: the
 * shape of Flyway's {@code DatabaseType} → {@code Database}. A dialect module implements this
 * interface and lists the class in {@code META-INF/services/dev.hostevents.spi.DialectProvider};
 * putting its jar on the class path is all a user does. {@link Dialects} finds providers with
 * {@link java.util.ServiceLoader}.
 *
 * <p>A provider is stateless and thread-safe. Everything that depends on the server's version is
 * decided once, in {@link #bind(ServerInfo)}, not in every call of the bound dialect.
 */
public interface DialectProvider {

    /** Short name used by {@code --dialect} and {@link Dialects#byName}: {@code h2}, {@code sqlite}, … */
    String name();

    /** Other names accepted by {@link Dialects#byName} (e.g. {@code mariadb} for the MySQL dialect). */
    default List<String> aliases() {
        return List.of();
    }

    /** True when this provider handles the server (from its product name and version). */
    boolean handles(ServerInfo server);

    /** Among several providers that handle a server, the highest priority wins. */
    default int priority() {
        return 0;
    }

    /**
     * Describes the server behind a connection. The default reads {@link java.sql.DatabaseMetaData};
     * a provider may refine it (MySQL asks {@code SELECT VERSION()} to tell MariaDB from MySQL).
     */
    default ServerInfo describe(Connection connection) throws SQLException {
        return ServerInfo.from(connection);
    }

    /**
     * The server assumed for offline SQL: the product this provider names for {@code alias} and
     * {@code version} (e.g. {@code mariadb} + {@code 10.2}), or its newest when no version is given.
     *
     * @param alias the name the user gave ({@link #name()} or one of {@link #aliases()})
     * @param version the version the user gave, or {@code null}
     */
    ServerInfo offlineServer(String alias, String version);

    /** Opens the dialect for this server; version-dependent behaviour is decided here, once. */
    Dialect bind(ServerInfo server);

    /** Describes the server behind the connection and binds to it. */
    default Dialect bind(Connection connection) throws SQLException {
        return bind(describe(connection));
    }
}
