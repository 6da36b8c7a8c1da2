package dev.hostevents.dialect.sqlite;

import dev.hostevents.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** Fresh SQLite files in one directory, configured as users are told to configure them. */
final class SqliteTestFiles implements TestDatabase {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final Path directory;

    /** Files live in {@code directory} (a JUnit {@code @TempDir}, deleted after the test). */
    SqliteTestFiles(Path directory) {
        this.directory = directory;
    }

    /** A path for a new file that does not exist yet. */
    Path newFile() {
        Path file = directory.resolve("hostevents-" + COUNTER.incrementAndGet() + ".db");
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public DataSource newDatabase() {
        return SqliteDataSources.file(newFile());
    }

    @Override
    public String describe() {
        return "SQLite file (sqlite-jdbc)";
    }
}
