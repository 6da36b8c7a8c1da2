package dev.hostevents.testing;

/** The reliability suite on H2. */
class H2ReliabilityTest extends ReliabilityContract {
    @Override
    protected TestDatabase database() {
        return H2ContractTest.H2;
    }
}
