package dev.hostevents.dialect.h2;

import dev.hostevents.testing.ReliabilityContract;
import dev.hostevents.testing.TestDatabase;

/** The reliability suite on H2. */
class H2ReliabilityTest extends ReliabilityContract {
    @Override
    protected TestDatabase database() {
        return H2ContractTest.H2;
    }
}
