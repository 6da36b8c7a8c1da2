/**
 * The SQLite dialect (sqlite-jdbc). Putting this module on the class path is all a user does: its
 * {@link dev.hostevents.dialect.sqlite.SqliteDialectProvider} is found by {@link java.util.ServiceLoader}
 * and binds the schema, migration and query roles. {@link dev.hostevents.dialect.sqlite.SqliteDataSources}
 * gives a well-configured data source for a file; {@link dev.hostevents.dialect.sqlite.SqliteTimestampConverter}
 * is the {@code created_at} text form, also usable as a jOOQ converter.
 */
package dev.hostevents.dialect.sqlite;
