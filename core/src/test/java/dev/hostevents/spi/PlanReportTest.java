package dev.hostevents.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A plan that falls short is either a failure (no index order to be had) or the planner's preference. */
class PlanReportTest {
    private static final String INDEX = "idx_host_event_created";

    @Test
    void anIndexOrderedPlan_isOk_andNeitherFailedNorPreferred() {
        PlanReport r = PlanReport.of("plan", INDEX, true, false, null);
        assertThat(r.ok()).isTrue();
        assertThat(r.failed()).isFalse();
        assertThat(r.preferredSort()).isFalse();
        assertThat(r.verdict()).isEqualTo("index idx_host_event_created, no sort");
    }

    @Test
    void aPlanThatIsItsOwnEvidence_failsWhenItDoesNotReadTheIndexInOrder() {
        PlanReport missing = PlanReport.of("plan", INDEX, false, true, "plan: Sort");
        assertThat(missing.failed()).isTrue();
        assertThat(missing.preferredSort()).isFalse();
        assertThat(missing.verdict()).isEqualTo("NOT using index idx_host_event_created, and sorts: plan: Sort");
        assertThat(new PlanReport("plan", true, true, "v").failed()).isTrue();
    }

    @Test
    void aPreferredSort_isNotOk_butNotAFailure() {
        PlanReport r = PlanReport.preferred("plan", INDEX, false, true, "planner preferred a sort of 2 rows (estimate)");
        assertThat(r.ok()).isFalse();
        assertThat(r.failed()).isFalse();
        assertThat(r.preferredSort()).isTrue();
        assertThat(r.verdict()).isEqualTo("index idx_host_event_created can be read in order, not a failure:"
                + " planner preferred a sort of 2 rows (estimate)");
    }
}
