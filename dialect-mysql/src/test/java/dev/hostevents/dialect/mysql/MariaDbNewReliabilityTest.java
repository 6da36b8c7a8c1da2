package dev.hostevents.dialect.mysql;

import dev.hostevents.testing.ReliabilityContract;
import dev.hostevents.testing.TestDatabase;

/** The shared reliability suite (load, faults, bad input) on a server that keeps {@code DESC} (MariaDB 11.4). */
class MariaDbNewReliabilityTest extends ReliabilityContract {
    @Override
    protected TestDatabase database() {
        return MariaDbServer.NEW;
    }
}
