package dev.hostevents.migration;

import dev.hostevents.spi.RenderedStatement;
import java.util.List;

/**
 * What a step decided from the live schema ({@link MigrationStep#plan}): whether it still has to run,
 * and what must be repaired first (e.g. dropping an INVALID index left by a failed concurrent build).
 * Repairs are not the revision's SQL, so they are not part of its checksum.
 *
 * @param needed false when the live schema already has what the step would make
 * @param repairs statements run before the step (each honouring {@link RenderedStatement#outsideTransaction()})
 */
public record StepPlan(boolean needed, List<RenderedStatement> repairs) {
    private static final StepPlan RUN = new StepPlan(true, List.of());
    private static final StepPlan SKIP = new StepPlan(false, List.of());

    public StepPlan {
        repairs = List.copyOf(repairs);
    }

    /** The step runs as rendered. */
    public static StepPlan run() {
        return RUN;
    }

    /** The live schema already has what the step makes: record the revision without running it. */
    public static StepPlan skip() {
        return SKIP;
    }

    /** The repairs run first, then the step. */
    public static StepPlan repairThenRun(List<RenderedStatement> repairs) {
        return new StepPlan(true, repairs);
    }
}
