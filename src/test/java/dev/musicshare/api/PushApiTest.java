package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.musicshare.testing.PushClient;
import dev.musicshare.testing.PushEvent;
import dev.musicshare.testing.SseTestClient;
import dev.musicshare.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Push to listeners over SSE and WebSocket: order, resume, gaps, the end, and auth. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis", "sentinel", "cluster"})
class PushApiTest extends ApiTestBase {

    @BeforeEach
    void startSession() {
        expect(200, start("123456"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "ws"})
    void a_listener_gets_metadata_first_then_everything_in_order_then_ended(String transport) {
        api.postJson("/api/share/123456/metadata", "{\"title\":\"First\",\"artist\":\"A\"}");
        postChunk("123456", 0);
        try (PushClient listener = connect(transport, "")) {
            PushEvent metadata = listener.next();
            assertThat(metadata.name()).isEqualTo("metadata");
            assertThat(metadata.data().get("title").asText()).isEqualTo("First");
            assertThat(metadata.data().get("hasSyncedLyrics").isBoolean()).isTrue();
            assertThat(listener.next(1, "audio").get(0).sequenceNumber()).isZero();

            postChunk("123456", 1);
            api.postJson("/api/share/123456/metadata", "{\"title\":\"Second\"}");
            postChunk("123456", 2);
            PushEvent one = listener.next();
            assertThat(one.sequenceNumber()).isEqualTo(1);
            assertThat(one.data().get("data").asText()).isEqualTo(samples(441, 1));
            assertThat(listener.next().data().get("title").asText()).isEqualTo("Second");
            assertThat(listener.next().sequenceNumber()).isEqualTo(2);

            api.postEmpty("/api/share/123456/stop");
            PushEvent ended = listener.next();
            assertThat(ended.name()).isEqualTo("ended");
            assertThat(ended.data().get("reason").asText()).isEqualTo("stopped");
            await().atMost(Duration.ofSeconds(5)).until(listener::closedByServer);
        }
    }

    @Test
    void events_of_requests_that_follow_one_another_arrive_in_that_order() {
        // On Redis, audio events are published by the store's script and metadata events by the node, over
        // different connections: only the node waiting for its own publishes keeps them in request order.
        try (PushClient listener = connect("sse", "")) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                api.postJson("/api/share/123456/metadata", "{\"title\":\"Track " + i + "\"}");
                postChunk("123456", i);
                expected.add("metadata Track " + i);
                expected.add("audio " + i);
            }
            List<String> heard = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                PushEvent event = listener.next();
                heard.add(event.name().equals("audio") ? "audio " + event.sequenceNumber()
                        : event.name() + " " + event.data().get("title").asText());
            }
            assertThat(heard).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "ws"})
    void resuming_with_since_has_no_gap_and_no_duplicate(String transport) {
        for (long sequence = 0; sequence < 4; sequence++) postChunk("123456", sequence);
        try (PushClient listener = connect(transport, "?since=1")) {
            postChunk("123456", 4);
            postChunk("123456", 5);
            List<Long> received = listener.next(4, "audio").stream().map(PushEvent::sequenceNumber).toList();
            assertThat(received).containsExactly(2L, 3L, 4L, 5L);
        }
    }

    @Test
    void sse_resumes_from_last_event_id_and_numbers_audio_events() {
        for (long sequence = 0; sequence < 3; sequence++) postChunk("123456", sequence);
        try (SseTestClient listener = SseTestClient.open(server.port(), "/api/share/123456/events",
                "Authorization", "Bearer " + TOKEN, "Last-Event-ID", "0")) {
            assertThat(listener.contentType()).startsWith("text/event-stream");
            List<PushEvent> audio = listener.next(2, "audio");
            assertThat(audio).extracting(PushEvent::id).containsExactly("1", "2");
        }
    }

    /**
     * The README's own URL, opened as an EventSource opens it; after a drop the EventSource reconnects to that same
     * URL ({@code since=-1}) and adds the id of the last event it got. The header wins: nothing is replayed.
     */
    @Test
    void an_event_source_reconnecting_to_its_since_url_resumes_after_its_last_event_id() {
        String readmeUrl = "/api/share/123456/events?since=-1&access_token=" + TOKEN;
        postChunk("123456", 0);
        postChunk("123456", 1);
        String lastEventId;
        try (SseTestClient first = SseTestClient.open(server.port(), readmeUrl)) {
            lastEventId = first.next(2, "audio").get(1).id();
        } // the connection drops
        postChunk("123456", 2);
        postChunk("123456", 3);
        try (SseTestClient again = SseTestClient.open(server.port(), readmeUrl, "Last-Event-ID", lastEventId)) {
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.next(2, "audio")).extracting(PushEvent::id).containsExactly("2", "3");
            postChunk("123456", 4);
            assertThat(again.next().id()).isEqualTo("4");
        }
    }

    /** A refused EventSource stops for good, so an id it cannot have got from us is ignored, not refused. */
    @ParameterizedTest
    @ValueSource(strings = {"garbage", "-5", "1.5", "99999999999999999999"})
    void an_unusable_last_event_id_is_ignored(String lastEventId) {
        postChunk("123456", 0);
        postChunk("123456", 1);
        try (SseTestClient bare = SseTestClient.open(server.port(), "/api/share/123456/events",
                "Authorization", "Bearer " + TOKEN, "Last-Event-ID", lastEventId);
                SseTestClient withSince = SseTestClient.open(server.port(), "/api/share/123456/events?since=0",
                        "Authorization", "Bearer " + TOKEN, "Last-Event-ID", lastEventId)) {
            assertThat(bare.status()).isEqualTo(200);
            assertThat(bare.next(2, "audio")).extracting(PushEvent::id).containsExactly("0", "1");
            assertThat(withSince.status()).isEqualTo(200);
            assertThat(withSince.next(1, "audio")).extracting(PushEvent::id).containsExactly("1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "ws"})
    void a_listener_further_behind_than_the_buffer_is_told_of_the_gap(String transport) {
        for (long sequence = 0; sequence < BUFFER_CHUNKS + 5; sequence++) postChunk("123456", sequence);
        try (PushClient listener = connect(transport, "?since=1")) {
            PushEvent gap = listener.next();
            assertThat(gap.name()).isEqualTo("gap");
            assertThat(gap.data().get("from").asLong()).isEqualTo(2);
            assertThat(gap.data().get("to").asLong()).isEqualTo(4);
            assertThat(listener.next(BUFFER_CHUNKS, "audio").get(0).sequenceNumber()).isEqualTo(5);
        }
    }

    /**
     * A sequence number the stream skips — the sender never sent it, or (issue #16) a failover lost it after it was
     * acknowledged, which the promoted master sees as a hole — reaches the listener as a {@code gap}, never as a
     * silent jump. The hole is skipped here at once: the chunks after it outgrow the buffer.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sse", "ws"})
    void a_skipped_sequence_number_reaches_a_live_listener_as_a_gap(String transport) {
        postChunk("123456", 0);
        try (PushClient listener = connect(transport, "")) {
            assertThat(listener.next(1, "audio").get(0).sequenceNumber()).isZero();
            for (long sequence = 2; sequence <= BUFFER_CHUNKS + 2; sequence++) postChunk("123456", sequence);
            PushEvent gap = listener.next();
            assertThat(gap.name()).isEqualTo("gap");
            assertThat(gap.data().get("from").asLong()).isEqualTo(1);
            long next = listener.next().sequenceNumber();
            assertThat(next).as("the first chunk after the gap").isEqualTo(gap.data().get("to").asLong() + 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "ws"})
    void a_late_listener_to_a_stopped_session_drains_the_buffer_then_hears_it_ended(String transport) {
        postChunk("123456", 0);
        api.postEmpty("/api/share/123456/stop");
        try (PushClient listener = connect(transport, "")) {
            assertThat(listener.next().sequenceNumber()).isZero();
            assertThat(listener.next().name()).isEqualTo("ended");
        }
    }

    @Test
    void the_token_may_come_as_a_query_parameter_and_is_required() {
        try (SseTestClient byQuery = SseTestClient.open(server.port(),
                "/api/share/123456/events?access_token=" + TOKEN)) {
            assertThat(byQuery.status()).isEqualTo(200);
        }
        try (SseTestClient anonymous = SseTestClient.open(server.port(), "/api/share/123456/events")) {
            assertThat(anonymous.status()).isEqualTo(401);
        }
        try (WsTestClient byQuery = WsTestClient.open(server.port(), "/api/share/123456/ws?access_token=" + TOKEN)) {
            postChunk("123456", 0);
            assertThat(byQuery.next().sequenceNumber()).isZero();
        }
        assertThatThrownBy(() -> WsTestClient.open(server.port(), "/api/share/123456/ws?access_token=wrong"))
                .hasStackTraceContaining("status code 401");
    }

    @Test
    void an_unknown_session_is_refused_before_any_stream_opens() throws Exception {
        try (SseTestClient listener = SseTestClient.open(server.port(), "/api/share/654321/events",
                "Authorization", "Bearer " + TOKEN)) {
            assertThat(listener.status()).isEqualTo(404);
            assertThat(listener.errorBody()).contains("SESSION_NOT_FOUND");
        }
        assertThatThrownBy(() -> WsTestClient.open(server.port(), "/api/share/654321/ws?access_token=" + TOKEN))
                .hasStackTraceContaining("status code 404");
    }

    @Test
    void pushed_metadata_links_the_cover_art_instead_of_carrying_it() {
        api.postJson("/api/share/123456/metadata", "{\"title\":\"T\",\"thumbnailData\":\"/9j/4AAQ\"}");
        try (PushClient listener = connect("sse", "")) {
            PushEvent metadata = listener.next();
            assertThat(metadata.data().has("thumbnailData")).isFalse();
            String url = metadata.data().get("thumbnailUrl").asText();
            assertThat(url).startsWith("/api/share/123456/thumbnail?v=");
            assertThat(api.get(url).status()).isEqualTo(200);
            api.postJson("/api/share/123456/metadata", "{\"title\":\"T\",\"thumbnailData\":\"/9j/4AAR\"}");
            assertThat(listener.next().data().get("thumbnailUrl").asText()).startsWith("/api/share/123456/thumbnail?v=")
                    .isNotEqualTo(url);
            api.postJson("/api/share/123456/metadata", "{\"title\":\"T\"}");
            assertThat(listener.next().data().get("thumbnailUrl").isNull()).isTrue();
        }
    }

    @Test
    void push_listeners_count_as_listeners() {
        try (PushClient sse = connect("sse", "");
                PushClient ws = WsTestClient.open(server.port(), "/api/share/123456/ws?access_token=" + TOKEN,
                        "X-Listener-Id", "ws-listener")) {
            postChunk("123456", 0);
            sse.next();
            ws.next();
            assertThat(api.get("/api/share/123456/status").json().get("listenerCount").asInt()).isEqualTo(2);
        }
    }

    private PushClient connect(String transport, String query) {
        return connectPush(transport, "123456", query);
    }
}
