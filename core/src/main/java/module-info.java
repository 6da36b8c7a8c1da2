/**
 * hostevents core: the event store API ({@code dev.hostevents}), the migration engine and revision
 * chain ({@code dev.hostevents.migration}) and the dialect SPI ({@code dev.hostevents.spi}). The
 * {@code dev.hostevents.internal} package is not exported: nothing in it is API.
 */
module dev.hostevents.core {
    requires transitive java.sql;
    requires transitive org.jooq;
    requires org.slf4j;

    exports dev.hostevents;
    exports dev.hostevents.migration;
    exports dev.hostevents.spi;

    uses dev.hostevents.spi.DialectProvider;
}
