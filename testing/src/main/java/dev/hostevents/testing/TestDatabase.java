package dev.hostevents.testing;

import javax.sql.DataSource;

/**
 * A real database a contract test runs against. Each call to {@link #newDatabase()} gives a fresh,
 * empty database (an H2 memory database, a SQLite file, a PostgreSQL or MariaDB database of its
 * own), so tests never see each other's rows.
 */
public interface TestDatabase {
    /** A fresh, empty database. */
    DataSource newDatabase();

    /** Server description for test output, e.g. {@code PostgreSQL 17.2 (embedded)}. */
    String describe();
}
