package dev.hostevents.bench.jmh;

import dev.hostevents.bench.BenchDatabase;
import dev.hostevents.bench.DataSpec;
import dev.hostevents.bench.Fixture;
import dev.hostevents.bench.H2BenchDatabase;
import dev.hostevents.bench.SqliteBenchDatabase;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The loaded databases every benchmark of a fork shares: made once per trial (loading is the slow
 * part), deleted at its end. {@code -p database=h2} or {@code -p data=full} change them.
 */
@State(Scope.Benchmark)
public class FixtureState {
    /** {@code sqlite} or {@code h2}. */
    @Param({"sqlite"})
    public String database;

    /** {@code tiny}, {@code quick} (100,000 rows) or {@code full} (1,000,000 rows). */
    @Param({"quick"})
    public String data;

    /** The two databases with the seeded rows. */
    public Fixture fixture;

    /** Loads the rows. */
    @Setup(Level.Trial)
    public void load() throws Exception {
        BenchDatabase db = switch (database) {
            case "sqlite" -> new SqliteBenchDatabase();
            case "h2" -> new H2BenchDatabase();
            default -> throw new IllegalArgumentException("database must be sqlite or h2 for JMH runs");
        };
        fixture = Fixture.create(db, DataSpec.named(data), line -> { });
    }

    /** Deletes the databases. */
    @TearDown(Level.Trial)
    public void delete() {
        fixture.close();
    }
}
