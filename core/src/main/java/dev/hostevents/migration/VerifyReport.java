package dev.hostevents.migration;

import java.util.List;

/**
 * The result of comparing the live schema with the one the recorded revision promises.
 *
 * @param revision the recorded revision, {@code null} for base
 * @param drift differences that mean the schema is not what the revision promises (one line each)
 * @param advice remarks that are not drift (e.g. an index that could now be rebuilt descending)
 */
public record VerifyReport(String revision, List<String> drift, List<String> advice) {
    public VerifyReport {
        drift = List.copyOf(drift);
        advice = List.copyOf(advice);
    }

    /** True when the schema matches. */
    public boolean ok() {
        return drift.isEmpty();
    }

    /** Throws {@link SchemaDriftException} when there is drift; returns this report otherwise. */
    public VerifyReport orThrow() {
        if (!ok()) {
            throw new SchemaDriftException(drift);
        }
        return this;
    }
}
