package dev.hostevents.dialect.postgres;

import dev.hostevents.testing.ReliabilityContract;
import dev.hostevents.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared reliability suite (load, faults, bad input) on a real PostgreSQL server. */
class PostgresReliabilityTest extends ReliabilityContract {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.instance();

    @Override
    protected TestDatabase database() {
        return POSTGRES;
    }
}
