package dev.hostevents.dialect.h2;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.Page;
import dev.hostevents.PageRequest;
import dev.hostevents.migration.Migrator;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Host codes are credentials: run every host-code path of the library with logging at TRACE and
 * collect every log line and every exception message (with causes); no full host code may appear.
 */
class NoSecretsInLogsTest {

    @Test
    void noHostCodeAppearsInAnyLogLineOrExceptionMessage_atTraceLevel() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level previous = root.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.ALL);
        List<String> texts = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        try {
            DataSource ds = H2ContractTest.H2.newDatabase();
            Migrator migrator = Migrator.create(ds);
            migrator.upgrade("head");
            EventStore store = EventStore.create(ds);
            Event generated = store.create(NewEvent.titled("generated"));
            secrets.add(generated.hostCode());
            String given = "host_s3cr3tc0de42";
            secrets.add(given);
            for (int i = 0; i < 12; i++) {
                store.create(NewEvent.titled("secret " + i).withHostCode(given.toUpperCase()));
            }
            store.findByHost(given, 5, 0);
            store.countByHost(given);
            Page page = store.findByHost(given, PageRequest.first(5));
            store.findByHost(given, PageRequest.after(page.nextCursor().orElseThrow(), 5));
            store.diagnostics().explainFindByHost(given, 10, 0);
            texts.add(store.toString());
            texts.add(page.toString());
            texts.add(generated.toString());
            // Every failure path that sees a host code.
            List<Runnable> failures = List.of(
                    () -> store.create(NewEvent.titled("x").withHostCode(given + "x")),
                    () -> store.create(NewEvent.titled("x").withHostCode("host_" + given)),
                    () -> store.findByHost(given + "!", 10, 0),
                    () -> store.findByHost(given, 0, 0),
                    () -> store.findByHost("host_0ther0host00", PageRequest.after(page.nextCursor().orElseThrow(), 5)),
                    () -> store.create(new NewEvent(null, null, null, given)),
                    () -> store.create(NewEvent.titled("dup").withHostCode(given).withSlug(store.findByHost(given, 1, 0).get(0).slug())),
                    () -> migrator.downgrade("base"));
            for (Runnable r : failures) {
                try {
                    r.run();
                    texts.add("(no failure)");
                } catch (RuntimeException e) {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        texts.add(String.valueOf(t.getMessage()));
                        texts.add(t.toString());
                    }
                }
            }
            migrator.verify();
            migrator.downgrade("-1");
        } finally {
            root.setLevel(previous);
            root.detachAppender(appender);
        }
        for (ILoggingEvent event : appender.list) {
            texts.add(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                texts.add(t.getMessage());
            }
        }
        assertThat(appender.list).isNotEmpty();
        assertThat(texts).doesNotContain("(no failure)");
        for (String secret : secrets) {
            assertThat(texts).noneMatch(t -> t != null && t.toLowerCase().contains(secret));
        }
        System.out.printf("[reliability] secrets: %d log events at TRACE and %d messages/toStrings checked, no host code found%n",
                appender.list.size(), texts.size());
    }
}
