package dev.hostevents.bench.jmh;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.bench.HandWrittenPageQuery;
import dev.hostevents.bench.SingleConnectionDataSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link EventStore#findByHost(String, int, int)} against the best hand-written JDBC for the same SQL
 * on the same connection (issue item 2). Profile with {@code -prof jfr} or {@code -prof stack}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class LibraryOverheadBenchmark {
    private SingleConnectionDataSource single;
    private EventStore store;
    private EventStore reusingStore;
    private HandWrittenPageQuery handWritten;
    private String host;

    /** One connection, shared by the store (through a non-closing wrapper) and the hand-written loop. */
    @Setup(Level.Trial)
    public void prepare(FixtureState state) throws Exception {
        host = state.fixture.data().hostWith(1_000);
        single = new SingleConnectionDataSource(state.fixture.withIndex());
        store = EventStore.create(single);
        store.findByHost(host, 10, 0);
        reusingStore = EventStore.builder(single).statementReuse(true).build();
        handWritten = new HandWrittenPageQuery(single.rawConnection(), store.diagnostics().pageQuerySql(), state.fixture.database());
    }

    /** Closes the connection. */
    @TearDown(Level.Trial)
    public void close() throws Exception {
        handWritten.close();
        single.close();
    }

    /** The library: validate, borrow, prepare, bind, execute, map, close. */
    @Benchmark
    public List<Event> eventStore() {
        return store.findByHost(host, 10, 0);
    }

    /** The library with {@code statementReuse(true)} (the store option; on by default for SQLite). */
    @Benchmark
    public List<Event> eventStoreReusingStatements() {
        return reusingStore.findByHost(host, 10, 0);
    }

    /** The baseline: bind, execute, map on a statement prepared once. */
    @Benchmark
    public List<Event> handWrittenJdbc() throws Exception {
        return handWritten.page(host, 10, 0);
    }
}
