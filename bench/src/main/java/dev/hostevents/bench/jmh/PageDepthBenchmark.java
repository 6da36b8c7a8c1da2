package dev.hostevents.bench.jmh;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.Page;
import dev.hostevents.PageRequest;
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

/** Keyset and OFFSET pages at page 1 and deep in the largest host (issue item 3). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PageDepthBenchmark {
    private SingleConnectionDataSource single;
    private EventStore store;
    private String host;
    private int deep;
    private PageRequest first;
    private PageRequest after;

    /** Walks to the deep cursor once. */
    @Setup(Level.Trial)
    public void prepare(FixtureState state) throws Exception {
        host = state.fixture.data().hostWith(state.fixture.spec().largestHost());
        deep = state.fixture.spec().deepPosition();
        single = new SingleConnectionDataSource(state.fixture.withIndex());
        store = EventStore.create(single);
        String cursor = null;
        for (int read = 0; read < deep; read += EventStore.MAX_LIMIT) {
            Page p = store.findByHost(host, cursor == null ? PageRequest.first(EventStore.MAX_LIMIT)
                    : PageRequest.after(cursor, EventStore.MAX_LIMIT));
            cursor = p.nextCursor().orElseThrow();
        }
        first = PageRequest.first(10);
        after = PageRequest.after(cursor, 10);
    }

    /** Closes the connection. */
    @TearDown(Level.Trial)
    public void close() throws Exception {
        single.close();
    }

    /** Keyset page 1. */
    @Benchmark
    public Page keysetFirstPage() {
        return store.findByHost(host, first);
    }

    /** Keyset page after the deep position. */
    @Benchmark
    public Page keysetDeepPage() {
        return store.findByHost(host, after);
    }

    /** OFFSET 0. */
    @Benchmark
    public List<Event> offsetFirstPage() {
        return store.findByHost(host, 10, 0);
    }

    /** OFFSET at the deep position. */
    @Benchmark
    public List<Event> offsetDeepPage() {
        return store.findByHost(host, 10, deep);
    }
}
