package dev.hostevents.dialect.mysql;

/** {@link MariaDbProcessFaultTest} on MariaDB 11.4 (keeps {@code DESC}). */
class MariaDbNewProcessFaultTest extends MariaDbProcessFaultTest {
    @Override
    MariaDbServer server() {
        return MariaDbServer.NEW;
    }
}
