package dev.musicshare.api;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.AudioSamples;
import dev.musicshare.testing.PushClient;
import dev.musicshare.testing.SseTestClient;
import dev.musicshare.testing.TestHistory;
import dev.musicshare.testing.TestStores;
import dev.musicshare.testing.WsTestClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;

/**
 * Starts a real server (the production wiring) on a free port for each test, on the store the test class is
 * parameterised with ("memory", "redis", "sentinel" or "cluster": {@link TestStores}), and talks to it over real
 * HTTP.
 */
abstract class ApiTestBase {
    static final String TOKEN = "test-token-0123456789";
    static final int MAX_SESSIONS = 5;
    static final int BUFFER_CHUNKS = 5;
    static final int MAX_AUDIO_BODY = 64 * 1024;

    @Parameter
    String storeKind;

    MusicShareServer server;
    ApiClient api;

    Clock clock() {
        return Clock.systemUTC();
    }

    /** Settings beyond the common ones, for a test class that needs others. */
    Map<String, String> extraEnvironment() {
        return Map.of();
    }

    @BeforeEach
    void startServer() {
        Map<String, String> env = new HashMap<>(TestStores.environment(storeKind));
        env.putAll(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN", TOKEN,
                "MAX_SESSIONS", "" + MAX_SESSIONS, "AUDIO_BUFFER_CHUNKS", "" + BUFFER_CHUNKS,
                "MAX_AUDIO_BODY_BYTES", "" + MAX_AUDIO_BODY, "HISTORY_DIR", TestHistory.dir()));
        env.putAll(extraEnvironment());
        server = MusicShareServer.start(Settings.from(env), clock());
        api = new ApiClient(server.port(), TOKEN);
    }

    @AfterEach
    void stopServer() {
        if (server != null) server.close();
    }

    Reply start(String id) {
        return api.postJson("/api/share/start", "{\"sessionId\":\"" + id + "\"}");
    }

    Reply postChunk(String id, long sequence) {
        return api.postJson("/api/share/" + id + "/audio", chunkJson(sequence, 441));
    }

    /** A push listener with the shared token over {@code transport} ("sse" or "ws"). */
    PushClient connectPush(String transport, String session, String query) {
        if (transport.equals("sse")) {
            return SseTestClient.open(server.port(), "/api/share/" + session + "/events" + query, "Authorization",
                    "Bearer " + TOKEN);
        }
        return WsTestClient.open(server.port(), "/api/share/" + session + "/ws" + query, "Authorization",
                "Bearer " + TOKEN);
    }

    static Reply expect(int status, Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        return reply;
    }

    static void assertSenderError(Reply reply, String error, String code) {
        JsonNode body = reply.json();
        assertThat(body.get("success").isBoolean()).isTrue();
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("code").asText()).isEqualTo(code);
    }

    static void assertUnauthorized(Reply reply, boolean senderStyle) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
        JsonNode body = reply.json();
        assertThat(body.get("error").asText()).isEqualTo("Unauthorized");
        assertThat(body.get("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(body.has("success")).isEqualTo(senderStyle);
    }

    static List<Long> sequences(Reply audio) {
        List<Long> sequences = new ArrayList<>();
        audio.json().forEach(chunk -> sequences.add(chunk.get("sequenceNumber").asLong()));
        return sequences;
    }

    static String samples(int frames, long sequence) {
        return AudioSamples.base64(frames, 2, sequence);
    }
}
