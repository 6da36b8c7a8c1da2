package dev.hostevents.examples;

import dev.hostevents.dialect.sqlite.SqliteDataSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The first thing to run: an embedded SQLite file, migrated to head, a few events for two hosts, and
 * one host's events paged newest first by offset and by keyset cursor.
 *
 * <pre>{@code
 * mvn -B -q -pl examples -am package -DskipTests -Dexample=Quickstart
 * }</pre>
 *
 * <p>The database is a new file in a new temporary folder (printed first), deleted with its folder
 * at the end, or the file given as the first argument, which is kept (run again, it is reused).
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
        if (args.length > 0) {
            run(Path.of(args[0]));
            return;
        }
        Path folder = Files.createTempDirectory("hostevents-quickstart");
        try {
            run(folder.resolve("quickstart.db"));
        } finally {
            deleteTree(folder);
        }
    }

    private static void run(Path file) {
        System.out.println("SQLite database: " + file.toAbsolutePath());
        DataSource dataSource = SqliteDataSources.file(file);
        PagingTour.run(dataSource, System.out);
    }

    /** The temporary folder and what SQLite put in it (the file, and any -wal/-shm left open). */
    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
