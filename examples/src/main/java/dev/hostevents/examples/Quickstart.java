package dev.hostevents.examples;

import dev.hostevents.dialect.sqlite.SqliteDataSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The first thing to run: an embedded SQLite file, migrated to head, a few events for two hosts, and
 * one host's events paged newest first by offset and by keyset cursor.
 *
 * <pre>{@code
 * mvn -B -q -pl examples -am package -DskipTests -Dexample=Quickstart
 * }</pre>
 *
 * <p>The database is a new file in a new temporary folder (printed first), or the file given as the
 * first argument.
 */
public final class Quickstart {
    private Quickstart() {
    }

    /**
     * Runs the quick start.
     *
     * @param args optional: the SQLite file to use
     */
    public static void main(String[] args) throws IOException {
        Path file = args.length > 0 ? Path.of(args[0])
                : Files.createTempDirectory("hostevents-quickstart").resolve("quickstart.db");
        System.out.println("SQLite database: " + file.toAbsolutePath());
        DataSource dataSource = SqliteDataSources.file(file);
        PagingTour.run(dataSource, System.out);
    }
}
