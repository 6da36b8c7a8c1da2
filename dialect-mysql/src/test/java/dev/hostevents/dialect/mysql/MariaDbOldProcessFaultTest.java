package dev.hostevents.dialect.mysql;

/** {@link MariaDbProcessFaultTest} on MariaDB 10.2 (drops {@code DESC}). */
class MariaDbOldProcessFaultTest extends MariaDbProcessFaultTest {
    @Override
    MariaDbServer server() {
        return MariaDbServer.OLD;
    }
}
