package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.share.ShareService;
import dev.musicshare.testing.LatchClock;
import dev.musicshare.testing.PushClient;
import dev.musicshare.testing.PushEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A session that ends while a push listener's catch-up is under way: the listener has joined the node's hub (so it
 * hears the live {@code ended}) and its backlog has not been queued yet. The {@code ended} must come once, after the
 * backlog's last audio — not first, with the backlog lost ({@code LiveConnection} holds it until
 * {@code finishCatchUp}), and not twice (the catch-up read sees the stop too and owes its own {@code ended}).
 *
 * <p>The interleaving is forced: the connect's catch-up thread is held at its clock read in
 * {@link ShareService#catchUp} (a {@link LatchClock}) while the sender stops the session over HTTP. On the memory
 * store the stop hands {@code ended} to the hub before its 200, so it is certainly heard during the catch-up; on Redis
 * it arrives by pub/sub at a moment no latch decides, so this class runs on the memory store only.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory"})
class EndedDuringCatchUpTest extends ApiTestBase {
    private static final String ID = "123456";
    private final LatchClock clock = new LatchClock();

    @Override
    Clock clock() {
        return clock;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "ws"})
    void a_session_stopped_during_a_listeners_catch_up_ends_once_after_the_backlog(String transport)
            throws Exception {
        expect(200, start(ID));
        expect(200, api.postJson("/api/share/" + ID + "/metadata", "{\"title\":\"Last song\"}"));
        for (long sequence = 0; sequence < BUFFER_CHUNKS; sequence++) expect(200, postChunk(ID, sequence));

        LatchClock.Hold catchUp = clock.holdNextReadFrom(ShareService.class, "catchUp");
        // The connect answers (SSE) or runs (WebSocket) its catch-up on the server while the test goes on.
        CompletableFuture<PushClient> connecting = CompletableFuture.supplyAsync(
                () -> connectPush(transport, ID, "?since=-1"));
        try {
            assertThat(catchUp.awaitReached(Duration.ofSeconds(10))).as("the listener's catch-up reached the latch")
                    .isTrue();
            expect(200, api.postEmpty("/api/share/" + ID + "/stop"));
        } finally {
            catchUp.release();
        }

        try (PushClient listener = connecting.get(10, TimeUnit.SECONDS)) {
            List<PushEvent> events = new ArrayList<>();
            PushEvent event;
            do {
                event = listener.next();
                events.add(event);
            } while (!event.name().equals("ended"));
            await().atMost(Duration.ofSeconds(5)).until(listener::closedByServer);
            events.addAll(listener.rest());

            assertThat(events).extracting(PushEvent::name).containsExactly("metadata", "audio", "audio", "audio",
                    "audio", "audio", "ended");
            assertThat(events.get(0).data().get("title").asText()).isEqualTo("Last song");
            assertThat(events.subList(1, 6)).extracting(PushEvent::sequenceNumber).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(events.get(6).data().get("reason").asText()).isEqualTo("stopped");
        }
    }
}
