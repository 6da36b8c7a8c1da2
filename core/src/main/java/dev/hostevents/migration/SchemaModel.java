package dev.hostevents.migration;

import dev.hostevents.spi.IndexSpec;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The schema a chain of revisions promises, built by letting each step apply itself
 * ({@link MigrationStep#applyTo}). {@code verify} compares it with the live catalog.
 */
public final class SchemaModel {

    /**
     * An index the schema should have, and the revision that declared it (whose migration-log note says
     * how the server built it).
     */
    public record DeclaredIndex(IndexSpec index, String revision) {
    }

    private final Set<String> tables = new LinkedHashSet<>();
    private final Map<String, DeclaredIndex> indexes = new LinkedHashMap<>();
    private final Set<String> everDeclared = new LinkedHashSet<>();
    private String revision;

    SchemaModel() {
    }

    /** The schema after the revisions of {@code chain} up to {@code position} (-1: base). */
    static SchemaModel replay(RevisionChain chain, int position) {
        SchemaModel model = new SchemaModel();
        for (int i = 0; i <= position; i++) {
            Revision r = chain.revisions().get(i);
            model.revision = r.id();
            r.upgradeSteps().forEach(step -> step.applyTo(model));
        }
        model.revision = null;
        return model;
    }

    /** A table now exists. */
    public void addTable(String table) {
        tables.add(table);
    }

    /** A table and its indexes are gone. */
    public void dropTable(String table) {
        tables.remove(table);
        indexes.values().removeIf(d -> d.index().table().equals(table));
    }

    /** An index now exists, declared by the revision being replayed. */
    public void addIndex(IndexSpec index) {
        indexes.put(index.name(), new DeclaredIndex(index, revision));
        everDeclared.add(index.name());
    }

    /** An index is gone. */
    public void dropIndex(String name) {
        indexes.remove(name);
    }

    /** Tables the schema has. */
    public Set<String> tables() {
        return Collections.unmodifiableSet(tables);
    }

    /** Indexes the schema has, in declaration order. */
    public Collection<DeclaredIndex> indexes() {
        return Collections.unmodifiableCollection(indexes.values());
    }

    /** True when the schema has the named index. */
    public boolean hasIndex(String name) {
        return indexes.containsKey(name);
    }

    /** Names of every index some replayed revision created, even if a later one dropped it. */
    public Set<String> everDeclared() {
        return Collections.unmodifiableSet(everDeclared);
    }
}
