package dev.hostevents.spi;

/**
 * What the database's own EXPLAIN says about the page query.
 *
 * <p>Two ways a plan can fall short of {@link #ok()} are told apart. {@link #failed()}: the index
 * cannot give the host's rows in page order (it is missing, in the wrong direction, or unusable), which
 * a CI check should reject. {@link #preferredSort()}: an index-ordered plan exists but the planner chose
 * to sort instead, as PostgreSQL does for a small host or before {@code ANALYZE} (the verdict then gives
 * the row estimate); that is information, not a failure.
 *
 * @param plan the plan as the database printed it (text, or JSON for PostgreSQL), host codes masked
 * @param usesIndex true when the plan reads the expected index
 * @param sorts true when the plan sorts the host's rows (SQLite {@code TEMP B-TREE}, a full
 *     PostgreSQL {@code Sort}, MySQL {@code Using filesort})
 * @param indexOrderAvailable true when the index can give the page in order: the plan does, or the
 *     dialect found an index-ordered plan the planner did not prefer
 * @param verdict one line: {@code index idx_host_event_created, no sort} or what is wrong
 */
public record PlanReport(String plan, boolean usesIndex, boolean sorts, boolean indexOrderAvailable, String verdict) {
    /**
     * Plans quote the bound values, the host code among them (PostgreSQL's {@code Index Cond}): both
     * texts are masked here, once, whichever dialect made the report.
     */
    public PlanReport {
        plan = dev.hostevents.HostCodes.maskAll(plan);
        verdict = dev.hostevents.HostCodes.maskAll(verdict);
        indexOrderAvailable = indexOrderAvailable || (usesIndex && !sorts);
    }

    /**
     * A report of a plan that is its own evidence: the index order is available exactly when this plan
     * reads the index and does not sort.
     */
    public PlanReport(String plan, boolean usesIndex, boolean sorts, String verdict) {
        this(plan, usesIndex, sorts, usesIndex && !sorts, verdict);
    }

    /** True when the plan reads the index in order and never sorts. */
    public boolean ok() {
        return usesIndex && !sorts;
    }

    /**
     * True when the index cannot give the page in order (missing, wrong direction, unusable): the
     * check {@code hostevents-cli explain} exits 1 on.
     */
    public boolean failed() {
        return !indexOrderAvailable;
    }

    /** True when an index-ordered plan exists but the planner preferred another one (informational). */
    public boolean preferredSort() {
        return indexOrderAvailable && !ok();
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

    /**
     * A report of a plan the planner chose over an index-ordered one that exists: not a failure.
     *
     * @param plan the chosen plan
     * @param indexName the index that can give the order
     * @param usesIndex whether the chosen plan reads it (out of order)
     * @param sorts whether the chosen plan sorts
     * @param detail why, e.g. {@code planner preferred a sort of 40 rows (estimate)}; ends the verdict
     */
    public static PlanReport preferred(String plan, String indexName, boolean usesIndex, boolean sorts, String detail) {
        return new PlanReport(plan, usesIndex, sorts, true,
                "index " + indexName + " can be read in order, not a failure: " + detail);
    }
}
