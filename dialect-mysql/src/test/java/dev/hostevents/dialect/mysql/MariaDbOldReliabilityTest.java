package dev.hostevents.dialect.mysql;

import dev.hostevents.testing.ReliabilityContract;
import dev.hostevents.testing.TestDatabase;

/** The shared reliability suite (load, faults, bad input) on a server that drops {@code DESC} (MariaDB 10.2). */
class MariaDbOldReliabilityTest extends ReliabilityContract {
    @Override
    protected TestDatabase database() {
        return MariaDbServer.OLD;
    }
}
