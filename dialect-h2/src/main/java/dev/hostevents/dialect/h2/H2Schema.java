package dev.hostevents.dialect.h2;

import dev.hostevents.spi.IndexColumn;
import dev.hostevents.spi.LiveIndex;
import dev.hostevents.spi.SchemaRole;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jooq.SortOrder;
import org.jooq.meta.IndexColumnDefinition;
import org.jooq.meta.IndexDefinition;
import org.jooq.meta.SchemaDefinition;
import org.jooq.meta.TableDefinition;
import org.jooq.meta.h2.H2Database;
import org.jooq.meta.jaxb.SchemaMappingType;

/** H2's catalog, read with jooq-meta; rendering uses the SPI's defaults. */
final class H2Schema implements SchemaRole {

    /** Index columns and directions from jooq-meta's {@link H2Database} (it needs the schema configured). */
    @Override
    public List<LiveIndex> readIndexes(Connection connection, String table) throws java.sql.SQLException {
        H2Database db = new H2Database();
        db.setConnection(connection);
        String schemaName = connection.getSchema();
        db.setConfiguredSchemata(List.of(new SchemaMappingType().withInputSchema(schemaName)));
        SchemaDefinition schema = db.getSchema(schemaName);
        if (schema == null) {
            return List.of();
        }
        TableDefinition t = db.getTable(schema, table, true);
        if (t == null) {
            return List.of();
        }
        List<LiveIndex> out = new ArrayList<>();
        for (IndexDefinition index : db.getIndexes(t)) {
            if (index.getName().toUpperCase(Locale.ROOT).startsWith("PRIMARY_KEY")) {
                continue;
            }
            List<IndexColumn> columns = new ArrayList<>();
            for (IndexColumnDefinition c : index.getIndexColumns()) {
                columns.add(new IndexColumn(c.getName(), c.getSortOrder() == SortOrder.DESC));
            }
            out.add(new LiveIndex(index.getName(), columns, index.isUnique(), true));
        }
        return out;
    }
}
