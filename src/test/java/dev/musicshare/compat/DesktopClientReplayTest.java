package dev.musicshare.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.AudioSamples;
import dev.musicshare.testing.TestStores;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ~20 s of the SongRequest desktop app as it behaves on the wire: 0.5 s stereo chunks (44,100 floats) at 2/s in
 * chunked POSTs that overlap and arrive out of order, metadata every 250 ms with a full-size cover, a bare token, and
 * a receiver polling at 400/500 ms with a strict parser that does not de-duplicate. Every chunk must reach it once,
 * in order, bit for bit.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis"})
class DesktopClientReplayTest {
    private static final String TOKEN = "desktop-token";
    private static final String USER_AGENT = "SongRequest Desktop v3.17";
    private static final int CHUNKS = 40;
    private static final int FLOATS_PER_CHUNK = 44_100;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameter
    String storeKind;

    private MusicShareServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(4);

    @BeforeEach
    void startServer() {
        Map<String, String> env = new HashMap<>(TestStores.environment(storeKind));
        env.putAll(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN", TOKEN));
        server = MusicShareServer.start(Settings.from(env), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        clock.shutdownNow();
        if (server != null) server.close();
    }

    @Test
    void every_chunk_reaches_a_polling_receiver_once_in_order_and_bit_identical() throws Exception {
        assertThat(post("api/share/start", "{\"sessionId\":\"246810\"}").statusCode()).isEqualTo(200);
        String[] sent = new String[CHUNKS];
        for (int i = 0; i < CHUNKS; i++) sent[i] = AudioSamples.base64(FLOATS_PER_CHUNK / 2, 2, i);
        String thumbnail = randomBase64(100_000);

        Receiver receiver = new Receiver();
        receiver.join();
        var metadata = clock.scheduleAtFixedRate(() -> sendMetadata(thumbnail), 0, 250, TimeUnit.MILLISECONDS);
        var metadataPolls = clock.scheduleAtFixedRate(receiver::pollMetadata, 0, 500, TimeUnit.MILLISECONDS);
        var audioPolls = clock.scheduleAtFixedRate(receiver::pollAudio, 0, 400, TimeUnit.MILLISECONDS);

        List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
        for (int i = 0; i < CHUNKS; i++) {
            String body = "{\"data\":\"" + sent[i] + "\",\"sampleRate\":44100,\"channels\":2,\"timestamp\":"
                    + System.currentTimeMillis() + ",\"sequenceNumber\":" + i + "}";
            // Every fourth chunk is held up in the network long enough for the next one to overtake it.
            long delay = i % 4 == 1 ? 700 : 0;
            uploads.add(CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(delay,
                    TimeUnit.MILLISECONDS)).thenCompose(ignored -> postAsync("api/share/246810/audio", body)));
            Thread.sleep(500);
        }
        for (var upload : uploads) assertThat(upload.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        // Every chunk polled (the last hole's window passed), then two more polls, so a duplicate would show.
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.sequences().size() >= CHUNKS);
        int pollsSoFar = receiver.audioPolls;
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.audioPolls >= pollsSoFar + 2);
        metadata.cancel(false);
        metadataPolls.cancel(false);
        audioPolls.cancel(false);

        assertThat(receiver.errors).isEmpty();
        assertThat(receiver.sequences()).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, CHUNKS).boxed().toList());
        for (int i = 0; i < CHUNKS; i++) assertThat(receiver.data.get((long) i)).as("chunk " + i).isEqualTo(sent[i]);
        assertThat(receiver.metadataReads).isGreaterThan(20);

        HttpResponse<String> stop = http.send(request("api/share/246810/stop")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stop.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(stop.body()).get("bytesTransferred").asLong())
                .isEqualTo((long) CHUNKS * FLOATS_PER_CHUNK * Float.BYTES);
    }

    private void sendMetadata(String thumbnail) {
        long elapsed = System.currentTimeMillis() % 180_000;
        boolean withCover = elapsed % 3 != 0; // the app often sends null for lyrics and the cover
        String body = "{\"title\":\"Replay\",\"artist\":\"Desktop\",\"lyrics\":null,\"hasSyncedLyrics\":false,"
                + "\"elapsedSeconds\":" + elapsed / 1000.0 + ",\"totalSeconds\":180.0,\"thumbnailData\":"
                + (withCover ? "\"" + thumbnail + "\"" : "null") + ",\"timestamp\":" + System.currentTimeMillis() + "}";
        postAsync("api/share/246810/metadata", body); // several may be in flight; the app ignores the response
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return postAsync(path, json).get(10, TimeUnit.SECONDS);
    }

    /** As the app posts: chunked (no Content-Length), JSON with charset, the token bare, its User-Agent. */
    private CompletableFuture<HttpResponse<String>> postAsync(String path, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return http.sendAsync(request(path).header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/" + path))
                .header("Authorization", TOKEN).header("User-Agent", USER_AGENT).timeout(Duration.ofSeconds(30));
    }

    private static String randomBase64(int bytes) {
        byte[] image = new byte[bytes];
        new Random(7).nextBytes(image);
        return Base64.getEncoder().encodeToString(image);
    }

    /** The desktop app's receiver: joins with status, then polls; a strict parser; no de-duplication. */
    private final class Receiver {
        final List<Long> received = new ArrayList<>();
        final Map<Long, String> data = new ConcurrentHashMap<>();
        final List<String> errors = new ArrayList<>();
        volatile long highest = -1;
        volatile int metadataReads;
        volatile int audioPolls;

        void join() throws Exception {
            assertThat(get("api/share/246810/status").statusCode()).isEqualTo(200);
        }

        void pollMetadata() {
            try {
                HttpResponse<String> response = get("api/share/246810/metadata");
                if (response.statusCode() == 404) return;
                JsonNode metadata = JSON.readTree(response.body());
                if (!metadata.isObject() || !metadata.get("hasSyncedLyrics").isBoolean()
                        || !metadata.get("elapsedSeconds").isNumber() || !metadata.get("totalSeconds").isNumber()
                        || !metadata.get("title").isTextual()) {
                    record("metadata not strictly typed: " + response.body().substring(0, 200));
                }
                metadataReads++;
            } catch (Exception e) {
                record("metadata poll: " + e);
            }
        }

        synchronized void pollAudio() {
            try {
                HttpResponse<String> response = get("api/share/246810/audio?since=" + highest);
                audioPolls++; // only this (synchronized) method writes it
                if (response.statusCode() == 204) return;
                JsonNode chunks = JSON.readTree(response.body());
                if (response.statusCode() != 200 || !chunks.isArray()) {
                    record("audio poll " + response.statusCode() + ": " + response.body());
                    return;
                }
                for (JsonNode chunk : chunks) {
                    if (!chunk.get("sequenceNumber").isIntegralNumber()) record("non-integral sequenceNumber");
                    long sequence = chunk.get("sequenceNumber").asLong();
                    received.add(sequence);
                    data.put(sequence, chunk.get("data").asText());
                    highest = Math.max(highest, sequence);
                }
            } catch (Exception e) {
                record("audio poll: " + e);
            }
        }

        synchronized List<Long> sequences() {
            return List.copyOf(received);
        }

        private synchronized void record(String error) {
            errors.add(error);
        }

        private HttpResponse<String> get(String path) throws Exception {
            return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
