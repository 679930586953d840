package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.OpusPushStream;
import dev.musicshare.testing.PushClient;
import dev.musicshare.testing.PushEvent;
import dev.musicshare.testing.RawHttp;
import dev.musicshare.testing.Signals;
import dev.musicshare.testing.SseTestClient;
import dev.musicshare.testing.StreamClient;
import dev.musicshare.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Push with {@code codec=opus}: a known signal shared through the server comes back from SSE and WebSocket as Opus
 * frames that ffmpeg decodes to the source, one encoder serving every listener.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis", "sentinel", "cluster"})
class OpusPushApiTest extends OpusApiTestBase {
    static final String ID = "434343";
    static final String EVENTS = "/api/share/" + ID + "/events?codec=opus&access_token=" + TOKEN;
    static final String WS = "/api/share/" + ID + "/ws?codec=opus&access_token=" + TOKEN;

    @Override
    String sessionId() {
        return ID;
    }

    @Test
    void a_sweep_comes_back_from_sse_and_websocket_as_the_same_opus_frames_and_decodes_to_the_source() {
        float[] source = Signals.sweep(RATE, 2, 2.0);
        try (SseTestClient sse = SseTestClient.open(server.port(), EVENTS);
                WsTestClient ws = WsTestClient.open(server.port(), WS);
                SseTestClient pcm = SseTestClient.open(server.port(), EVENTS.replace("codec=opus", "codec=pcm"))) {
            assertThat(sse.status()).isEqualTo(200);
            postSignal(source, 2, 4_410, false);
            api.postEmpty("/api/share/" + ID + "/stop");

            List<PushEvent> fromSse = audioUntilEnded(sse);
            List<PushEvent> fromWs = audioUntilEnded(ws);
            assertThat(ws.binaryMessages()).as("WebSocket audio comes as binary messages").isEqualTo(fromWs.size());
            assertThat(fromSse.get(0).data().get("sampleRate").asInt()).isEqualTo(48_000);
            assertThat(fromSse.get(0).data().get("channels").asInt()).isEqualTo(2);
            assertThat(fromSse.get(0).data().get("frameDurationMicros").asLong()).isEqualTo(20_000);
            assertThat(fromSse.get(0).id()).isEqualTo("0");
            assertThat(fromSse.stream().filter(e -> !e.data().has("last")).map(PushEvent::sequenceNumber))
                    .as("one event per chunk, in order").containsExactlyElementsOf(range(0, 20));
            List<PushEvent> chunks = pcm.next(20, "audio");
            // decoded audio trails the encoder's input by the pre-skip: the event's time is that of its first
            // decoded sample
            double preSkipMs = fromSse.get(0).data().get("preSkip").asInt() / 48.0;
            for (int i = 0; i < 20; i++) {
                double chunkStart = chunks.get(i).data().get("presentationTime").asDouble() - preSkipMs;
                assertThat(fromSse.get(i).data().get("presentationTime").asDouble())
                        .as("event %d's frames start with the chunk, or up to a frame before (the remainder)", i)
                        .isBetween(chunkStart - 20.001, chunkStart + 0.001);
            }
            assertThat(packets(fromWs)).as("one encoder: the same packets on both transports")
                    .containsExactlyElementsOf(packets(fromSse));
            assertDecodesTo(OpusPushStream.toOgg(fromSse), source, 2);
        }
    }

    @Test
    void a_listener_that_resumes_with_last_event_id_or_since_gets_the_rest_without_repeats_or_holes() {
        float[] source = Signals.sweep(RATE, 2, 2.0);
        try (SseTestClient whole = SseTestClient.open(server.port(), EVENTS)) {
            List<PushEvent> firstPart;
            try (SseTestClient dropped = SseTestClient.open(server.port(), EVENTS)) {
                postSignal(slice(source, 0, 10 * 4_410), 2, 4_410, false);
                firstPart = dropped.next(10, "audio");
            }
            String lastId = firstPart.get(firstPart.size() - 1).id();
            assertThat(lastId).isEqualTo("9");
            try (SseTestClient resumed = SseTestClient.open(server.port(), EVENTS, "Last-Event-ID", lastId);
                    WsTestClient resumedWs = WsTestClient.open(server.port(), WS + "&since=" + lastId)) {
                postRest(source, 10);
                api.postEmpty("/api/share/" + ID + "/stop");
                List<PushEvent> rest = audioUntilEnded(resumed);
                assertThat(packets(audioUntilEnded(resumedWs))).as("WebSocket resumed with since=9: the same rest")
                        .containsExactlyElementsOf(packets(rest));
                assertThat(rest.get(0).sequenceNumber()).isEqualTo(10);
                assertThat(rest.get(0).data().has("preSkip")).as("pre-skip only at the stream's start").isFalse();
                List<PushEvent> joined = new ArrayList<>(firstPart);
                joined.addAll(rest);
                assertThat(packets(joined)).as("the first part and the resumed rest are the whole stream")
                        .containsExactlyElementsOf(packets(audioUntilEnded(whole)));
            }
        }
    }

    @Test
    void a_listener_joining_an_encoder_that_runs_for_a_player_starts_with_the_recent_seconds_as_pcm_listeners_do() {
        float[] source = Signals.sweep(RATE, 2, 3.0);
        try (StreamClient player = StreamClient.open(server.port(), "GET", "/api/share/" + ID
                + "/stream.ogg?access_token=" + TOKEN, "1.1", 0).readAll()) {
            postSignal(source, 2, 4_410, false);
            // The player's pages show the encoder is well into the 3 s (its mux holds back at most 1 s): without the
            // recent frames a push listener joining now would start around chunk 20 at the earliest.
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                byte[] ogg = player.body();
                return StreamOggMetadataTest.lastGranuleBefore(ogg, ogg.length) >= 2 * 48_000;
            });
            try (SseTestClient late = SseTestClient.open(server.port(), EVENTS);
                    SseTestClient pcm = SseTestClient.open(server.port(), EVENTS.replace("codec=opus", "codec=pcm"))) {
                api.postEmpty("/api/share/" + ID + "/stop");
                List<PushEvent> audio = audioUntilEnded(late);
                assertThat(audio.stream().filter(e -> !e.data().has("last")).map(PushEvent::sequenceNumber))
                        .as("the recent seconds (all 3 s here), one event per chunk, then the stream's end")
                        .containsExactlyElementsOf(range(0, 30));
                assertPresentationTimesOfChunks(audio, pcm.next(30, "audio"));
                assertDecodesTo(OpusPushStream.toOgg(audio), source, 2);
            }
        }
    }

    @Test
    void a_listener_whose_join_starts_the_encoder_gets_the_recent_seconds_not_only_the_players_burst() {
        float[] source = Signals.sweep(RATE, 2, 3.0);
        postSignal(source, 2, 4_410, false);
        try (SseTestClient late = SseTestClient.open(server.port(), EVENTS);
                SseTestClient pcm = SseTestClient.open(server.port(), EVENTS.replace("codec=opus", "codec=pcm"))) {
            api.postEmpty("/api/share/" + ID + "/stop");
            List<PushEvent> audio = audioUntilEnded(late);
            assertThat(audio.stream().filter(e -> !e.data().has("last")).map(PushEvent::sequenceNumber))
                    .as("the recent seconds (all 3 s here), as PCM listeners get, not the 2 s burst")
                    .containsExactlyElementsOf(range(0, 30));
            assertPresentationTimesOfChunks(audio, pcm.next(30, "audio"));
            assertDecodesTo(OpusPushStream.toOgg(audio), source, 2);
        }
    }

    @Test
    void one_encoder_serves_push_and_stream_listeners_and_the_metrics_count_them_by_transport() {
        try (SseTestClient sse = SseTestClient.open(server.port(), EVENTS);
                WsTestClient ws = WsTestClient.open(server.port(), WS);
                StreamClient player = StreamClient.open(server.port(), "GET", "/api/share/" + ID
                        + "/stream.ogg?access_token=" + TOKEN, "1.1", 0).readAll()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> metric("musicshare_opus_listeners{transport=\"push\"") == 2
                    && metric("musicshare_opus_listeners{transport=\"stream\"") == 1);
            assertThat(metric("musicshare_opus_sessions_encoding")).as("one encoder for the session").isEqualTo(1);
            double opusBytes = metric("musicshare_listener_bytes_sent_total{codec=\"opus\"");
            double pcmBytes = metric("musicshare_listener_bytes_sent_total{codec=\"pcm\"");
            postSignal(Signals.sweep(RATE, 2, 0.5), 2, 4_410, false);
            sse.next(5, "audio");
            ws.next(5, "audio");
            await().atMost(Duration.ofSeconds(20)).until(() -> metric("musicshare_listener_bytes_sent_total{codec=\"opus\"")
                    > opusBytes + 2 * 5 * 5 * 100);
            assertThat(metric("musicshare_listener_bytes_sent_total{codec=\"pcm\"")).as("no PCM listener here")
                    .isEqualTo(pcmBytes);
            assertThat(metric("musicshare_opus_encoder_cpu_seconds_total")).isPositive();

            api.postEmpty("/api/share/" + ID + "/stop");
            await().atMost(Duration.ofSeconds(20)).until(() -> metric("musicshare_opus_listeners{transport=\"push\"")
                    + metric("musicshare_opus_listeners{transport=\"stream\"") == 0
                    && metric("musicshare_opus_sessions_encoding") == 0);
        }
    }

    @Test
    void an_unknown_codec_is_refused_with_a_json_400_on_both_transports() throws java.io.IOException {
        Reply events = api.get("/api/share/" + ID + "/events?codec=mp3");
        assertThat(events.status()).isEqualTo(400);
        assertThat(events.json().get("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(events.json().get("error").asText()).contains("codec").contains("mp3");
        RawHttp exchange = RawHttp.send(server.port(), "GET /api/share/" + ID + "/ws?codec=flac HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
        try {
            RawHttp.Response ws = exchange.read();
            assertThat(ws.status()).isEqualTo(400);
            assertThat(ws.body()).contains("\"code\":\"INVALID_REQUEST\"").contains("flac");
        } finally {
            exchange.close();
        }
    }

    /**
     * Each Opus event's presentationTime is its chunk's own (from the PCM listener's events), less the pre-skip, or up
     * to a frame earlier (the encoder's remainder): the real times, as a page schedules by them.
     */
    static void assertPresentationTimesOfChunks(List<PushEvent> opus, List<PushEvent> chunks) {
        double preSkipMs = opus.get(0).data().get("preSkip").asInt() / 48.0;
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(opus.get(i).sequenceNumber()).isEqualTo(chunks.get(i).sequenceNumber());
            double chunkStart = chunks.get(i).data().get("presentationTime").asDouble() - preSkipMs;
            assertThat(opus.get(i).data().get("presentationTime").asDouble())
                    .as("event %d's frames start with the chunk, or up to a frame before (the remainder)", i)
                    .isBetween(chunkStart - 20.001, chunkStart + 0.001);
        }
    }

    /** A series' value from /metrics, the series named up to its first label (or whole); 0 when absent. */
    private double metric(String series) {
        String scrape = api.withAuthorization(null).get("/metrics").text();
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series)) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return 0;
    }

    /** The audio events up to {@code ended} (the stream's last frames included), checked to be Opus. */
    static List<PushEvent> audioUntilEnded(PushClient client) {
        List<PushEvent> audio = new ArrayList<>();
        while (true) {
            PushEvent event = client.next();
            if (event.name().equals("ended")) return audio;
            if (!event.name().equals("audio")) continue;
            assertThat(event.data().get("codec").asText()).isEqualTo("opus");
            audio.add(event);
        }
    }

    private void postRest(float[] source, int fromChunk) {
        float[] rest = slice(source, fromChunk * 4_410, source.length / 2);
        List<String> bodies = new ArrayList<>();
        for (int from = 0, sequence = fromChunk; from < rest.length / 2; from += 4_410, sequence++) {
            int to = Math.min(from + 4_410, rest.length / 2);
            bodies.add(dev.musicshare.testing.AudioSamples.chunkJson(sequence, Signals.base64(rest, 2 * from, 2 * to),
                    RATE, 2));
        }
        bodies.forEach(body -> expect(200, api.postJson("/api/share/" + ID + "/audio", body)));
    }

    private static float[] slice(float[] stereo, int fromFrame, int toFrame) {
        return java.util.Arrays.copyOfRange(stereo, fromFrame * 2, toFrame * 2);
    }

    private static List<String> packets(List<PushEvent> audio) {
        List<String> packets = new ArrayList<>();
        audio.forEach(event -> event.data().get("frames").forEach(frame -> packets.add(frame.asText())));
        return packets;
    }

    private static List<Long> range(long from, long to) {
        List<Long> values = new ArrayList<>();
        for (long i = from; i < to; i++) values.add(i);
        return values;
    }
}
