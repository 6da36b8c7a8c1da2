package dev.hostevents.migration;

import dev.hostevents.ValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An ordered, linear chain of revisions from the first to the head. The built-in chain is
 * {@link #builtIn()}; a user appends revisions of their own with {@link #append(Revision)}, each
 * following the current head.
 */
public final class RevisionChain {
    private final List<Revision> revisions;

    private RevisionChain(List<Revision> revisions) {
        this.revisions = List.copyOf(revisions);
    }

    /** The library's own chain: {@code 9372cec8298d} (initial schema) then {@code c1b85c454f94} (composite index). */
    public static RevisionChain builtIn() {
        return new RevisionChain(List.of(HostEventsRevisions.INITIAL_SCHEMA, HostEventsRevisions.COMPOSITE_INDEX));
    }

    /**
     * Returns a new chain with {@code next} after the current head.
     *
     * @throws dev.hostevents.ValidationException (field {@code revision}) if {@code next} does not follow the head or its id is taken
     */
    public RevisionChain append(Revision next) {
        if (find(next.id()).isPresent()) {
            throw new dev.hostevents.ValidationException("revision", next.id() + " is already in the chain");
        }
        String head = revisions.isEmpty() ? null : head().id();
        if (!java.util.Objects.equals(head, next.downRevision())) {
            throw new dev.hostevents.ValidationException("revision", next.id() + " must follow the head " + head
                    + " but names " + next.downRevision() + " as its down revision");
        }
        List<Revision> copy = new ArrayList<>(revisions);
        copy.add(next);
        return new RevisionChain(copy);
    }

    /** All revisions, oldest first. */
    public List<Revision> revisions() {
        return revisions;
    }

    /** The newest revision. */
    public Revision head() {
        return revisions.get(revisions.size() - 1);
    }

    /** The revision with this id, if any. */
    public Optional<Revision> find(String id) {
        return revisions.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** Position of a revision (0 = first); -1 stands for base (no revision). */
    int position(String id) {
        if (id == null) {
            return -1;
        }
        for (int i = 0; i < revisions.size(); i++) {
            if (revisions.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new UnknownRevisionException(id, "unknown revision '" + id + "': not in this chain (known: "
                + String.join(", ", revisions.stream().map(Revision::id).toList()) + ")");
    }

    /** The revision at a position, {@code null} for -1 (base). */
    String idAt(int position) {
        return position < 0 ? null : revisions.get(position).id();
    }

    /**
     * Resolves a target as Alembic spells it, relative to {@code current}: {@code head}, {@code base},
     * a revision id (or a unique prefix of at least 4 characters), {@code +N} or {@code -N}.
     *
     * @return the position of the target, -1 for base
     */
    int resolve(String target, String current) {
        if (target == null || target.isBlank()) {
            throw new ValidationException("target", "must be head, base, a revision id, +N or -N");
        }
        String t = target.trim();
        int cur = position(current);
        if (t.equals("head") || t.equals("heads")) {
            return revisions.size() - 1;
        }
        if (t.equals("base")) {
            return -1;
        }
        if (t.matches("[+-]\\d{1,4}")) {
            int pos = cur + Integer.parseInt(t);
            if (pos < -1 || pos >= revisions.size()) {
                throw new ValidationException("target", "'" + t + "' goes beyond the chain (current position "
                        + (cur + 1) + " of " + revisions.size() + ")");
            }
            return pos;
        }
        List<Integer> matches = new ArrayList<>();
        for (int i = 0; i < revisions.size(); i++) {
            String id = revisions.get(i).id();
            if (id.equals(t)) {
                return i;
            }
            if (t.length() >= 4 && id.startsWith(t)) {
                matches.add(i);
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        throw new UnknownRevisionException(t, "unknown revision '" + t + "'"
                + (matches.size() > 1 ? ": prefix matches several revisions" : ""));
    }

    /** Revisions newest first, as {@code history} prints them. */
    public List<Revision> newestFirst() {
        List<Revision> copy = new ArrayList<>(revisions);
        Collections.reverse(copy);
        return copy;
    }
}
