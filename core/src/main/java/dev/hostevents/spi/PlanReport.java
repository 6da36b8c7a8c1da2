package dev.hostevents.spi;

/**
 * What the database's own EXPLAIN says about the page query.
 *
 * @param plan the plan as the database printed it (text, or JSON for PostgreSQL), host codes masked
 * @param usesIndex true when the plan reads the expected index
 * @param sorts true when the plan sorts the host's rows (SQLite {@code TEMP B-TREE}, a full
 *     PostgreSQL {@code Sort}, MySQL {@code Using filesort})
 * @param verdict one line: {@code index idx_host_event_created, no sort} or what is wrong
 */
public record PlanReport(String plan, boolean usesIndex, boolean sorts, String verdict) {
    /**
     * Plans quote the bound values, the host code among them (PostgreSQL's {@code Index Cond}): both
     * texts are masked here, once, whichever dialect made the report.
     */
    public PlanReport {
        plan = dev.hostevents.HostCodes.maskAll(plan);
        verdict = dev.hostevents.HostCodes.maskAll(verdict);
    }

    /** True when the plan reads the index in order and never sorts. */
    public boolean ok() {
        return usesIndex && !sorts;
    }

    /** Builds a report whose verdict line is derived from the two findings. */
    public static PlanReport of(String plan, String indexName, boolean usesIndex, boolean sorts, String detail) {
        String verdict;
        if (usesIndex && !sorts) {
            verdict = "index " + indexName + ", no sort";
        } else if (!usesIndex) {
            verdict = "NOT using index " + indexName + (sorts ? ", and sorts" : "") + (detail == null ? "" : ": " + detail);
        } else {
            verdict = "index " + indexName + " but the plan sorts" + (detail == null ? "" : ": " + detail);
        }
        return new PlanReport(plan, usesIndex, sorts, verdict);
    }
}
