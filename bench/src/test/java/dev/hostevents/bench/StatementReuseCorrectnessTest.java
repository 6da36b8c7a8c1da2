package dev.hostevents.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.Page;
import dev.hostevents.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Statement reuse ({@code EventStore.Builder#statementReuse}) gives the same pages as the store that
 * prepares per call: through a pool, from several threads at once, and after the pool replaced its
 * connections. Results only, no timings.
 */
class StatementReuseCorrectnessTest {
    @Test
    void reusingStore_returnsTheSamePagesAsThePreparingStore_throughAPoolFromFourThreads() throws Exception {
        try (Fixture f = Fixture.create(new SqliteBenchDatabase(), DataSpec.tiny(), line -> { })) {
            HikariConfig config = new HikariConfig();
            config.setDataSource(f.withIndex());
            config.setMaximumPoolSize(3);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                EventStore plain = EventStore.builder(pool).statementReuse(false).build();
                EventStore reusing = EventStore.builder(pool).statementReuse(true).build();
                assertThat(plain.diagnostics().statementReuse()).isFalse();
                assertThat(reusing.diagnostics().statementReuse()).isTrue();
                List<String> hosts = f.spec().hostSizes().stream().map(f.data()::hostWith).toList();

                ExecutorService threads = Executors.newFixedThreadPool(4);
                try {
                    List<Future<Integer>> done = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        int seed = t;
                        done.add(threads.submit(() -> compare(plain, reusing, hosts, seed)));
                    }
                    for (Future<Integer> d : done) {
                        assertThat(d.get()).isPositive();
                    }
                } finally {
                    threads.shutdownNow();
                }
                // Connections the pool retires take their cached statements with them; new ones start clean.
                pool.getHikariPoolMXBean().softEvictConnections();
                assertThat(compare(plain, reusing, hosts, 7)).isPositive();
            }
        }
    }

    private static int compare(EventStore plain, EventStore reusing, List<String> hosts, int seed) {
        int rows = 0;
        for (int i = 0; i < 60; i++) {
            String host = hosts.get((i + seed) % hosts.size());
            int offset = (i * 7 + seed) % 20;
            List<Event> expected = plain.findByHost(host, 10, offset);
            assertThat(reusing.findByHost(host, 10, offset)).isEqualTo(expected);
            Page first = reusing.findByHost(host, PageRequest.first(5));
            assertThat(first.events()).isEqualTo(plain.findByHost(host, PageRequest.first(5)).events());
            if (first.nextCursor().isPresent()) {
                PageRequest next = PageRequest.after(first.nextCursor().get(), 5);
                assertThat(reusing.findByHost(host, next).events()).isEqualTo(plain.findByHost(host, next).events());
            }
            rows += expected.size();
        }
        return rows;
    }
}
