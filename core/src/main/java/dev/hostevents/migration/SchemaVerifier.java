package dev.hostevents.migration;

import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.IndexSpec;
import dev.hostevents.spi.LiveIndex;
import dev.hostevents.spi.SchemaRole;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code verify}: the live schema against the one the recorded revision promises — the tables, each
 * index's columns, their directions (as this server can build them), uniqueness and validity. The
 * promise is the {@link SchemaModel} the chain's steps leave; the live side is read through the
 * dialect's {@link SchemaRole}.
 */
final class SchemaVerifier {
    private final Connection connection;
    private final Dialect dialect;
    private final RevisionChain chain;

    SchemaVerifier(Connection connection, Dialect dialect, RevisionChain chain) {
        this.connection = connection;
        this.dialect = dialect;
        this.chain = chain;
    }

    VerifyReport verify() throws SQLException {
        VersionTable versions = new VersionTable(connection, dialect, chain);
        SchemaRole schema = dialect.schema();
        String current = versions.currentOrBase();
        SchemaModel expected = SchemaModel.replay(chain, chain.position(current));
        List<String> drift = new ArrayList<>();
        List<String> advice = new ArrayList<>();
        boolean eventsPresent = schema.tableExists(connection, HostEventsRevisions.EVENTS);
        for (String table : expected.tables()) {
            if (!schema.tableExists(connection, table)) {
                drift.add("table " + table + " is missing");
            }
        }
        if (!expected.tables().contains(HostEventsRevisions.EVENTS) && eventsPresent && current == null) {
            advice.add("table events exists but no revision is recorded; stamp the revision it matches");
        }
        if (!eventsPresent) {
            return new VerifyReport(current, drift, advice);
        }
        Map<String, LiveIndex> live = new LinkedHashMap<>();
        for (LiveIndex index : schema.readIndexes(connection, HostEventsRevisions.EVENTS)) {
            live.put(index.name(), index);
        }
        Map<String, String> notes = null;
        for (SchemaModel.DeclaredIndex declared : expected.indexes()) {
            IndexSpec want = schema.expectedIndex(declared.index());
            LiveIndex have = live.get(want.name());
            if (have == null) {
                drift.add("index " + want.name() + " is missing (expected " + want.columns() + ")");
            } else if (!have.valid()) {
                drift.add("index " + want.name() + " is INVALID (a failed concurrent build); upgrade rebuilds it");
            } else if (!have.matches(want)) {
                // Built differently by an earlier server, by design (the log says so): advice, not drift.
                notes = notes == null ? versions.buildNotes() : notes;
                Optional<IndexSpec> byDesign = schema.indexBuiltByDesign(declared.index(), notes.get(declared.revision()));
                if (byDesign.isPresent() && have.matches(byDesign.get())) {
                    advice.addAll(schema.advice(declared.index(), have));
                } else {
                    drift.add("index " + want.name() + " is " + describe(have) + ", expected " + describe(want));
                }
            } else {
                advice.addAll(schema.advice(declared.index(), have));
            }
        }
        SchemaModel whole = SchemaModel.replay(chain, chain.revisions().size() - 1);
        for (String name : whole.everDeclared()) {
            if (!expected.hasIndex(name) && live.containsKey(name)) {
                drift.add("index " + name + " exists"
                        + (live.get(name).valid() ? "" : " (INVALID: left by a failed concurrent build)")
                        + " but revision " + (current == null ? "base" : current) + " does not have it");
            }
        }
        return new VerifyReport(current, drift, advice);
    }

    static String describe(IndexSpec spec) {
        return (spec.unique() ? "unique " : "") + spec.columns();
    }

    static String describe(LiveIndex index) {
        return (index.unique() ? "unique " : "") + index.columns();
    }
}
