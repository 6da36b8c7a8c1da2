package dev.hostevents.migration;

/**
 * One revision applied in one direction.
 *
 * @param direction upgrade or downgrade
 * @param from revision before, {@code null} for base
 * @param to revision after, {@code null} for base
 * @param message the revision's message
 */
public record Transition(Direction direction, String from, String to, String message) {
    /** Alembic's line: {@code Running upgrade 9372cec8298d -> c1b85c454f94, add_composite_index_host_code_created_at}. */
    public String alembicLine() {
        return "Running " + direction.word() + " " + (from == null ? "" : from) + " -> " + (to == null ? "" : to) + ", " + message;
    }

    /** The revision whose steps ran (the target of an upgrade, the source of a downgrade). */
    public String revision() {
        return direction == Direction.UPGRADE ? to : from;
    }

    /** Applying {@code revision} in {@code direction}: up from its parent, or down to it. */
    static Transition of(Direction direction, Revision revision) {
        return direction == Direction.UPGRADE
                ? new Transition(direction, revision.downRevision(), revision.id(), revision.message())
                : new Transition(direction, revision.id(), revision.downRevision(), revision.message());
    }

    @Override
    public String toString() {
        return alembicLine();
    }
}
