package dev.hostevents.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.Event;
import dev.hostevents.EventStore;
import dev.hostevents.NewEvent;
import dev.hostevents.dialect.postgres.PostgresExtension;
import dev.hostevents.internal.CursorCodec;
import dev.hostevents.migration.Migrator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The endpoint on a real PostgreSQL, where a forged year-10000 cursor used to reach the driver and give 500. */
class HostEventsHttpServerPostgresTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.instance();
    private static final byte[] KEY = "http-example-postgres-cursor-key".getBytes(StandardCharsets.UTF_8);

    @Test
    void aCursorWithAValidMac_butAPositionPostgresCannotBind_is400_notA500() throws Exception {
        DataSource ds = POSTGRES.newDatabase();
        Migrator.create(ds).upgrade("head");
        EventStore store = EventStore.builder(ds).cursorKey(KEY).build();
        Event e = store.create(NewEvent.titled("On PostgreSQL"));
        HttpClient client = HttpClient.newHttpClient();
        try (HostEventsHttpServer server = HostEventsHttpServer.start(store, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (String cursor : List.of(
                    new CursorCodec(KEY).encode(e.hostCode(), store.diagnostics().tieBreak(), Instant.parse("+10000-01-01T00:00:00Z"), e.id()),
                    new CursorCodec(KEY).encode(e.hostCode(), store.diagnostics().tieBreak(), e.createdAt(), -5))) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + HostEventsHttpServer.HEADER_FORM_PATH + "?limit=5&cursor=" + cursor)).header("Authorization", "Bearer " + e.hostCode())
                        .build(), HttpResponse.BodyHandlers.ofString());

                assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
                assertThat(r.body()).startsWith("{\"error\":\"cursor points outside the range of stored events")
                        .contains("start again from the first page").doesNotContain(e.hostCode());
            }
        }
    }
}
