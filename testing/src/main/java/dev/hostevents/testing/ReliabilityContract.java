package dev.hostevents.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.HostEventsException;
import dev.hostevents.NewEvent;
import dev.hostevents.Page;
import dev.hostevents.PageRequest;
import dev.hostevents.ValidationException;
import dev.hostevents.migration.LogEntry;
import dev.hostevents.migration.MigrationListener;
import dev.hostevents.migration.MigrationResult;
import dev.hostevents.migration.Migrator;
import dev.hostevents.migration.Transition;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Load, faults and bad input, run against a real database by every dialect module (extend it and
 * supply {@link #database()}). Each test is bounded in count and time; figures are printed (never
 * asserted) and collected in {@code docs/reliability.md}.
 */
public abstract class ReliabilityContract {
    protected DataSource ds;

    /** The database under test; each call of {@code newDatabase()} is fresh. */
    protected abstract TestDatabase database();

    /** Writer and reader threads of the mixed workload. */
    protected int writers() {
        return 2;
    }

    protected int readers() {
        return 2;
    }

    /** How long the mixed workload runs. */
    protected Duration workload() {
        return Duration.ofSeconds(3);
    }

    @BeforeEach
    void fresh() {
        ds = database().newDatabase();
    }

    private static String host(int i) {
        return String.format("host_%012d", i);
    }

    // =================================================================== load

    @Test
    void mixedWorkload_everyAcknowledgedWriteIsReadable_pagesNeverDuplicateOrSkip_andNoConnectionLeaks() throws Exception {
        Migrator.create(ds).upgrade("head");
        HikariConfig config = new HikariConfig();
        config.setDataSource(ds);
        config.setMaximumPoolSize(writers() + readers() + 1);
        config.setConnectionTimeout(30_000);
        config.setPoolName("reliability");
        try (HikariDataSource pool = new HikariDataSource(config)) {
            EventStore store = EventStore.builder(pool).clock(Clock.systemUTC()).build();
            int hosts = 4;
            // Rows that exist before any paging starts: every page walk must see each of them exactly once.
            Map<String, Set<Long>> before = new HashMap<>();
            for (int h = 0; h < hosts; h++) {
                List<NewEvent> batch = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    batch.add(NewEvent.titled("seed " + h + " " + i).withHostCode(host(h)));
                }
                before.put(host(h), store.createAll(batch).stream().map(Event::id).collect(Collectors.toSet()));
            }
            Map<String, Set<Long>> acknowledged = new ConcurrentHashMap<>();
            before.forEach((h, ids) -> acknowledged.computeIfAbsent(h, k -> ConcurrentHashMap.newKeySet()).addAll(ids));
            AtomicLong writes = new AtomicLong();
            AtomicLong pageReads = new AtomicLong();
            AtomicLong worstNanos = new AtomicLong();
            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            long deadline = System.nanoTime() + workload().toNanos();
            ExecutorService pool2 = Executors.newFixedThreadPool(writers() + readers());
            List<Future<?>> work = new ArrayList<>();
            try {
                for (int w = 0; w < writers(); w++) {
                    int seed = w;
                    work.add(pool2.submit(() -> {
                        int i = 0;
                        while (System.nanoTime() < deadline) {
                            String h = host((seed + i++) % hosts);
                            long t0 = System.nanoTime();
                            Event e = store.create(NewEvent.titled("load " + seed + " " + i).withHostCode(h));
                            worstNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                            acknowledged.get(h).add(e.id());
                            writes.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (int r = 0; r < readers(); r++) {
                    int seed = r;
                    work.add(pool2.submit(() -> {
                        int round = 0;
                        while (System.nanoTime() < deadline) {
                            String h = host((seed + round) % hosts);
                            boolean keyset = round++ % 2 == 0;
                            List<Long> seen = new ArrayList<>();
                            long t0 = System.nanoTime();
                            if (keyset) {
                                Page page = store.findByHost(h, PageRequest.first(7));
                                seen.addAll(ids(page.events()));
                                while (page.hasNext()) {
                                    page = store.findByHost(h, PageRequest.after(page.nextCursor().get(), 7));
                                    checkPage(page.events(), problems);
                                    seen.addAll(ids(page.events()));
                                    pageReads.incrementAndGet();
                                }
                                if (new HashSet<>(seen).size() != seen.size()) {
                                    problems.add("keyset walk of a host saw a row twice");
                                }
                            } else {
                                for (int offset = 0; ; offset += 7) {
                                    List<Event> page = store.findByHost(h, 7, offset);
                                    checkPage(page, problems);
                                    seen.addAll(ids(page));
                                    pageReads.incrementAndGet();
                                    if (page.size() < 7) {
                                        break;
                                    }
                                }
                            }
                            worstNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                            if (!new HashSet<>(seen).containsAll(before.get(h))) {
                                problems.add((keyset ? "keyset" : "offset") + " walk skipped a row that existed before paging began");
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get(workload().toSeconds() + 120, TimeUnit.SECONDS);
                }
            } finally {
                pool2.shutdownNow();
            }
            assertThat(problems).isEmpty();
            for (int h = 0; h < hosts; h++) {
                Set<Long> stored = new HashSet<>();
                Page page = store.findByHost(host(h), PageRequest.first(100));
                stored.addAll(ids(page.events()));
                while (page.hasNext()) {
                    page = store.findByHost(host(h), PageRequest.after(page.nextCursor().get(), 100));
                    stored.addAll(ids(page.events()));
                }
                assertThat(stored).as("host %d", h).isEqualTo(acknowledged.get(host(h)));
                assertThat(store.countByHost(host(h))).isEqualTo(acknowledged.get(host(h)).size());
            }
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
            System.out.printf("[reliability] %s mixed workload: %d writers, %d readers, %d s: %d creates, %d page reads, worst operation %.1f ms%n",
                    database().describe(), writers(), readers(), workload().toSeconds(), writes.get(), pageReads.get(),
                    worstNanos.get() / 1e6);
        }
    }

    private static List<Long> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    private static void checkPage(List<Event> page, List<String> problems) {
        if (new HashSet<>(ids(page)).size() != page.size()) {
            problems.add("a page contained the same row twice");
        }
    }

    // =================================================================== faults

    @ParameterizedTest(name = "interrupted {0}")
    @ValueSource(strings = {"beforeDdl", "afterDdl", "afterRevision"})
    void aMigrationInterruptedAtEachPoint_isFinishedByAFreshUpgrade_eachRevisionOnce_rowsKept(String point) {
        Migrator plain = Migrator.create(ds);
        plain.upgrade("+1");
        EventStore store = EventStore.create(ds);
        for (int i = 0; i < 25; i++) {
            store.create(NewEvent.titled("kept " + i).withHostCode(host(1)));
        }
        Consumer<Transition> crash = t -> {
            throw new IllegalStateException("injected fault " + point + " of " + t.to());
        };
        Migrator faulty = Migrator.builder(ds).listener(new MigrationListener() {
            @Override
            public void beforeDdl(Transition t) {
                if (point.equals("beforeDdl")) {
                    crash.accept(t);
                }
            }

            @Override
            public void afterDdl(Transition t) {
                if (point.equals("afterDdl")) {
                    crash.accept(t);
                }
            }

            @Override
            public void afterRevision(Transition t) {
                if (point.equals("afterRevision")) {
                    crash.accept(t);
                }
            }
        }).build();

        assertThatThrownBy(() -> faulty.upgrade("head")).hasMessageContaining("injected fault");
        MigrationResult repaired = plain.upgrade("head");

        assertThat(plain.current()).contains("c1b85c454f94");
        assertThat(repaired.transitions()).hasSizeLessThanOrEqualTo(1);
        assertThat(plain.verify().drift()).isEmpty();
        assertThat(plain.log()).filteredOn(e -> e.direction().equals("upgrade")).extracting(LogEntry::revision)
                .containsExactly("9372cec8298d", "c1b85c454f94");
        assertThat(store.countByHost(host(1))).isEqualTo(25);
        System.out.printf("[reliability] %s fault %s: repaired by %d revision(s), 25 rows kept%n",
                database().describe(), point, repaired.transitions().size());
    }

    @Test
    void fourMigratorsAtOnce_exactlyOneAppliesEachRevision() throws Exception {
        int n = 4;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<MigrationResult>> runs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return Migrator.create(ds).upgrade("head");
                }));
            }
            start.countDown();
            int applied = 0;
            for (Future<MigrationResult> f : runs) {
                applied += f.get(180, TimeUnit.SECONDS).transitions().size();
            }
            assertThat(applied).isEqualTo(2);
            assertThat(Migrator.create(ds).log()).extracting(LogEntry::revision).containsExactly("9372cec8298d", "c1b85c454f94");
        } finally {
            pool.shutdownNow();
        }
    }

    // =================================================================== bad input

    /** Inputs that break naive code: SQL metacharacters, NUL, controls, Unicode, lone surrogates, long text. */
    protected static Arbitrary<String> nastyStrings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(260),
                Arbitraries.strings().withChars("';--/*\\\"%_\u0000\n\r\t ").ofMinLength(1).ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0080', '\uFFFF').ofMaxLength(120),
                Arbitraries.of("Robert'); DROP TABLE events;--", "\u0000", "a\u0000b", "\uD83C\uDFA4 emoji", "\uD800",
                        "x".repeat(1001), " ", "", "HOST_AAAAAAAA0001", "host_aaaaaaaa0001\u0000", "ﬁ ligature ß",
                        "\u202Eright-to-left", "<script>alert(1)</script>"));
    }

    @Test
    void randomNastyInput_isEitherStoredAndReadBackExactly_orAValidationError_neverADriverError() {
        Migrator.create(ds).upgrade("head");
        EventStore store = EventStore.create(ds);
        List<String> samples = nastyStrings().sampleStream().limit(300).toList();
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < samples.size(); i++) {
            String s = samples.get(i);
            NewEvent candidate = switch (i % 4) {
                case 0 -> new NewEvent(s, null, null, host(7));
                case 1 -> new NewEvent("t" + i, null, s, host(7));
                case 2 -> new NewEvent("t" + i, s, null, host(7));
                default -> new NewEvent("t" + i, null, null, s);
            };
            try {
                Event e = store.create(candidate);
                accepted++;
                Event read = store.findBySlug(e.slug()).orElseThrow();
                assertThat(read).as("round trip of sample %d", i).isEqualTo(e);
                if (i % 4 == 0) {
                    assertThat(read.title()).isEqualTo(s.strip());
                } else if (i % 4 == 1) {
                    assertThat(read.description()).isEqualTo(s);
                }
            } catch (ValidationException v) {
                rejected++;
                assertThat(v.getMessage()).doesNotContain("SQL");
            } catch (HostEventsException other) {
                throw new AssertionError("sample " + i + " reached the database as a " + other, other);
            }
        }
        assertThat(countAll()).as("every accepted input stored once, every rejected one not at all").isEqualTo(accepted);
        assertThat(accepted).isPositive();
        assertThat(rejected).isPositive();
        System.out.printf("[reliability] %s bad input: %d random inputs, %d accepted and round-tripped, %d rejected with ValidationException%n",
                database().describe(), samples.size(), accepted, rejected);
    }

    @Test
    void randomAndForgedCursors_areRejectedOrHarmless_neverAnotherHostsRows() {
        Migrator.create(ds).upgrade("head");
        EventStore store = EventStore.create(ds);
        for (int i = 0; i < 12; i++) {
            store.create(NewEvent.titled("mine " + i).withHostCode(host(1)));
            store.create(NewEvent.titled("theirs " + i).withHostCode(host(2)));
        }
        String real = store.findByHost(host(2), PageRequest.first(3)).nextCursor().orElseThrow();
        List<String> cursors = new ArrayList<>(Arbitraries.oneOf(nastyStrings(),
                        Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_").ofLength(real.length()))
                .sampleStream().limit(300).toList());
        cursors.add(real);
        int rejected = 0;
        for (String c : cursors) {
            if (c.isBlank()) {
                continue;
            }
            try {
                Page p = store.findByHost(host(1), PageRequest.after(c, 10));
                assertThat(p.events()).allSatisfy(e -> assertThat(e.hostCode()).isEqualTo(host(1)));
            } catch (ValidationException v) {
                rejected++;
                assertThat(v.field()).isEqualTo("cursor");
            }
        }
        assertThat(rejected).isEqualTo(cursors.stream().filter(c -> !c.isBlank()).count());
        System.out.printf("[reliability] %s cursors: %d random/forged/replayed cursors, all rejected%n", database().describe(), rejected);
    }

    private long countAll() {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
