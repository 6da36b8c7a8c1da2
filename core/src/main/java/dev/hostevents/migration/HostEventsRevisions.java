package dev.hostevents.migration;

import dev.hostevents.spi.IndexColumn;
import dev.hostevents.spi.IndexSpec;
import java.util.List;

/**
 * The library's own revisions, identical in id, parent and message to the original Alembic
 * migrations so that a database migrated by either tool can be continued by the other.
 */
public final class HostEventsRevisions {
    /** The table every revision works on. */
    public static final String EVENTS = "events";

    /** {@code ix_events_id (id)}, as the original schema lists it. */
    public static final IndexSpec IX_EVENTS_ID = new IndexSpec("ix_events_id", EVENTS, List.of(IndexColumn.asc("id")), false);
    /** {@code ix_events_host_code (host_code)}. */
    public static final IndexSpec IX_EVENTS_HOST_CODE =
            new IndexSpec("ix_events_host_code", EVENTS, List.of(IndexColumn.asc("host_code")), false);
    /** {@code ix_events_short_code (short_code)}, unique. */
    public static final IndexSpec IX_EVENTS_SHORT_CODE =
            new IndexSpec("ix_events_short_code", EVENTS, List.of(IndexColumn.asc("short_code")), true);
    /** {@code ix_events_slug (slug)}, unique. */
    public static final IndexSpec IX_EVENTS_SLUG = new IndexSpec("ix_events_slug", EVENTS, List.of(IndexColumn.asc("slug")), true);
    /** {@code idx_host_event_created (host_code, created_at DESC)}, the composite index the page query reads. */
    public static final IndexSpec IDX_HOST_EVENT_CREATED = new IndexSpec("idx_host_event_created", EVENTS,
            List.of(IndexColumn.asc("host_code"), IndexColumn.desc("created_at")), false);

    /** {@code 9372cec8298d}, "Initial schema": the table and its four indexes. */
    public static final Revision INITIAL_SCHEMA = Revision.builder("9372cec8298d", "Initial schema")
            // Creation order makes SQLite's PRAGMA index_list print them as the reference does (newest first).
            .upgrade(new CreateEventsTableStep(),
                    // The table is new and empty: its indexes are built in the same transaction, with plain DDL.
                    CreateIndexStep.onNewTable(IX_EVENTS_ID),
                    CreateIndexStep.onNewTable(IX_EVENTS_HOST_CODE),
                    CreateIndexStep.onNewTable(IX_EVENTS_SHORT_CODE),
                    CreateIndexStep.onNewTable(IX_EVENTS_SLUG))
            .downgrade(DropIndexStep.beforeTableDrop(IX_EVENTS_SLUG),
                    DropIndexStep.beforeTableDrop(IX_EVENTS_SHORT_CODE),
                    DropIndexStep.beforeTableDrop(IX_EVENTS_HOST_CODE),
                    DropIndexStep.beforeTableDrop(IX_EVENTS_ID),
                    new DropTableStep(EVENTS))
            .build();

    /** {@code c1b85c454f94}, "add_composite_index_host_code_created_at". */
    public static final Revision COMPOSITE_INDEX = Revision.builder("c1b85c454f94", "add_composite_index_host_code_created_at")
            .downRevision("9372cec8298d")
            .upgrade(new CreateIndexStep(IDX_HOST_EVENT_CREATED))
            .downgrade(new DropIndexStep(IDX_HOST_EVENT_CREATED))
            .build();

    private HostEventsRevisions() {
    }
}
