package dev.hostevents.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One revision of the schema, as Alembic has it: an id, the revision it follows ({@code null} for
 * the first), a message, and the steps that upgrade to it and downgrade from it.
 */
public final class Revision {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_]{1,32}");

    private final String id;
    private final String downRevision;
    private final String message;
    private final List<MigrationStep> upgrade;
    private final List<MigrationStep> downgrade;

    private Revision(Builder b) {
        this.id = b.id;
        this.downRevision = b.downRevision;
        this.message = b.message;
        this.upgrade = List.copyOf(b.upgrade);
        this.downgrade = List.copyOf(b.downgrade);
    }

    /**
     * Starts a revision.
     *
     * @param id revision id: 1–32 letters, digits or underscores (it must fit {@code alembic_version.version_num})
     * @param message the one-line message Alembic prints after the arrow
     */
    public static Builder builder(String id, String message) {
        return new Builder(id, message);
    }

    /** The revision id, e.g. {@code c1b85c454f94}. */
    public String id() {
        return id;
    }

    /** The revision this one follows, or {@code null} for the first revision. */
    public String downRevision() {
        return downRevision;
    }

    /** The message, e.g. {@code add_composite_index_host_code_created_at}. */
    public String message() {
        return message;
    }

    /** Steps run, in order, to upgrade to this revision. */
    public List<MigrationStep> upgradeSteps() {
        return upgrade;
    }

    /** Steps run, in order, to downgrade from this revision to its parent. */
    public List<MigrationStep> downgradeSteps() {
        return downgrade;
    }

    /** The steps of one direction: {@link #upgradeSteps()} or {@link #downgradeSteps()}. */
    public List<MigrationStep> steps(Direction direction) {
        return direction == Direction.UPGRADE ? upgrade : downgrade;
    }

    @Override
    public String toString() {
        return (downRevision == null ? "<base>" : downRevision) + " -> " + id + ", " + message;
    }

    /** Builds a {@link Revision}. */
    public static final class Builder {
        private final String id;
        private final String message;
        private String downRevision;
        private final List<MigrationStep> upgrade = new ArrayList<>();
        private final List<MigrationStep> downgrade = new ArrayList<>();

        private Builder(String id, String message) {
            Objects.requireNonNull(id, "id");
            if (!ID.matcher(id).matches()) {
                throw new dev.hostevents.ValidationException("revision_id", "must be 1-32 letters, digits or underscores");
            }
            this.id = id;
            this.message = Objects.requireNonNull(message, "message");
        }

        /** The revision this one follows; leave unset for the first revision of a chain. */
        public Builder downRevision(String parent) {
            this.downRevision = parent;
            return this;
        }

        /** Appends upgrade steps. */
        public Builder upgrade(MigrationStep... steps) {
            upgrade.addAll(List.of(steps));
            return this;
        }

        /** Appends downgrade steps. */
        public Builder downgrade(MigrationStep... steps) {
            downgrade.addAll(List.of(steps));
            return this;
        }

        public Revision build() {
            if (upgrade.isEmpty()) {
                throw new dev.hostevents.ValidationException("revision", id + " has no upgrade step");
            }
            return new Revision(this);
        }
    }
}
