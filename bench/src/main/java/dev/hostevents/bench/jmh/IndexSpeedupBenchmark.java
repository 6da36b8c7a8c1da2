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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Page 1 of one host with {@code idx_host_event_created} and with only {@code ix_events_host_code}
 * (issue item 1), through one reused prepared statement each, so only the index differs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class IndexSpeedupBenchmark {
    /** Events of the measured host; must be one of the data's host sizes. */
    @Param({"10", "100", "1000", "10000"})
    public int eventsPerHost;

    private SingleConnectionDataSource with;
    private SingleConnectionDataSource without;
    private HandWrittenPageQuery withIndex;
    private HandWrittenPageQuery withoutIndex;
    private String host;

    /** Opens one connection per database and prepares the store's own page query on each. */
    @Setup(Level.Trial)
    public void prepare(FixtureState state) throws Exception {
        host = state.fixture.data().hostWith(eventsPerHost);
        with = new SingleConnectionDataSource(state.fixture.withIndex());
        without = new SingleConnectionDataSource(state.fixture.withoutIndex());
        EventStore storeWith = EventStore.create(with);
        EventStore storeWithout = EventStore.create(without);
        storeWith.findByHost(host, 10, 0);
        storeWithout.findByHost(host, 10, 0);
        withIndex = new HandWrittenPageQuery(with.rawConnection(), storeWith.diagnostics().pageQuerySql(), state.fixture.database());
        withoutIndex = new HandWrittenPageQuery(without.rawConnection(), storeWithout.diagnostics().pageQuerySql(), state.fixture.database());
    }

    /** Closes the connections. */
    @TearDown(Level.Trial)
    public void close() throws Exception {
        withIndex.close();
        withoutIndex.close();
        with.close();
        without.close();
    }

    /** Page 1 read in index order. */
    @Benchmark
    public List<Event> withCompositeIndex() throws Exception {
        return withIndex.page(host, 10, 0);
    }

    /** Page 1 found through {@code ix_events_host_code}, then sorted. */
    @Benchmark
    public List<Event> withoutCompositeIndex() throws Exception {
        return withoutIndex.page(host, 10, 0);
    }
}
