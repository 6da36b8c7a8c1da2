package dev.hostevents.migration;

import java.util.List;

/**
 * What an upgrade or downgrade did.
 *
 * @param transitions the revisions applied, in order; empty when there was nothing to do
 * @param current the revision the database is at afterwards, {@code null} for base
 */
public record MigrationResult(List<Transition> transitions, String current) {
    public MigrationResult {
        transitions = List.copyOf(transitions);
    }

    /** True when nothing was applied. */
    public boolean nothingToDo() {
        return transitions.isEmpty();
    }
}
