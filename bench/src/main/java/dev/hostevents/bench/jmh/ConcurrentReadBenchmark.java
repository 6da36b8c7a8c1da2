package dev.hostevents.bench.jmh;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hostevents.Event;
import dev.hostevents.EventStore;
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
 * Throughput of {@code findByHost} on a HikariCP pool of 8 (issue item 4). Run with {@code -t 1},
 * {@code -t 2}, {@code -t 4}, {@code -t 8}; the report runs all four interleaved.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ConcurrentReadBenchmark {
    /** The pool and the store every thread shares. */
    @State(Scope.Benchmark)
    public static class Pool {
        HikariDataSource pool;
        EventStore store;
        List<String> hosts;

        /** Starts the pool. */
        @Setup(Level.Trial)
        public void start(FixtureState state) {
            HikariConfig config = new HikariConfig();
            config.setDataSource(state.fixture.withIndex());
            config.setMaximumPoolSize(8);
            config.setMinimumIdle(8);
            pool = new HikariDataSource(config);
            store = EventStore.create(pool);
            hosts = state.fixture.spec().hostSizes().stream().map(state.fixture.data()::hostWith).toList();
        }

        /** Stops the pool. */
        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
        }
    }

    /** Each thread reads its own host. */
    @State(Scope.Thread)
    public static class Reader {
        String host;

        /** Picks a host by thread. */
        @Setup(Level.Trial)
        public void pick(Pool pool) {
            host = pool.hosts.get((int) (Thread.currentThread().getId() % pool.hosts.size()));
        }
    }

    /** Page 1 through the pool. */
    @Benchmark
    public List<Event> findByHost(Pool pool, Reader reader) {
        return pool.store.findByHost(reader.host, 10, 0);
    }
}
