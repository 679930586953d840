package dev.musicshare.api;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.PushEvent;
import dev.musicshare.testing.RedisServer;
import dev.musicshare.testing.SseTestClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several nodes sharing one Redis, and a Redis that goes away and comes back: over real HTTP. */
class RedisNodesTest {
    private static final String TOKEN = "nodes-token";
    private RedisServer redis;
    private MusicShareServer nodeA;
    private MusicShareServer nodeB;
    private ApiClient a;
    private ApiClient b;

    @BeforeEach
    void startNodes() {
        redis = RedisServer.start();
        nodeA = node();
        nodeB = node();
        a = new ApiClient(nodeA.port(), TOKEN);
        b = new ApiClient(nodeB.port(), TOKEN);
    }

    @AfterEach
    void stopNodes() {
        if (nodeA != null) nodeA.close();
        if (nodeB != null) nodeB.close();
        redis.close();
    }

    @Test
    void a_session_started_on_one_node_is_served_and_limited_by_every_node() {
        assertThat(a.postJson("/api/share/start", "{\"sessionId\":\"111111\"}").status()).isEqualTo(200);
        assertThat(b.postJson("/api/share/start", "{\"sessionId\":\"111111\"}").status()).isEqualTo(409);
        assertThat(b.postJson("/api/share/111111/metadata", "{\"title\":\"Across\"}").status()).isEqualTo(200);
        assertThat(a.postJson("/api/share/111111/audio", chunkJson(0, 441)).status()).isEqualTo(200);
        assertThat(b.get("/api/share/111111/status").json().get("currentMetadata").get("title").asText())
                .isEqualTo("Across");
        assertThat(sequencesOf(b.get("/api/share/111111/audio?since=-1"))).containsExactly(0L);
        // The limit (3 here) counts sessions on every node.
        assertThat(b.postJson("/api/share/start", "{\"sessionId\":\"222222\"}").status()).isEqualTo(200);
        assertThat(a.postJson("/api/share/start", "{\"sessionId\":\"333333\"}").status()).isEqualTo(200);
        assertThat(b.postJson("/api/share/start", "{\"sessionId\":\"444444\"}").status()).isEqualTo(503);
    }

    @Test
    void a_sender_on_one_node_reaches_push_and_polling_listeners_on_another() {
        a.postJson("/api/share/start", "{\"sessionId\":\"555555\"}");
        try (SseTestClient pushOnB = SseTestClient.open(nodeB.port(), "/api/share/555555/events",
                "Authorization", "Bearer " + TOKEN, "X-Listener-Id", "push-on-b")) {
            List<Long> polled = new ArrayList<>();
            for (long sequence = 0; sequence < 20; sequence++) {
                assertThat(a.postJson("/api/share/555555/audio", chunkJson(sequence, 441)).status()).isEqualTo(200);
                if (sequence % 5 == 4) {
                    long since = polled.isEmpty() ? -1 : polled.get(polled.size() - 1);
                    polled.addAll(sequencesOf(b.get("/api/share/555555/audio?since=" + since,
                            "X-Listener-Id", "poller-on-b")));
                }
            }
            List<Long> pushed = pushOnB.next(20, "audio").stream().map(PushEvent::sequenceNumber).toList();
            List<Long> expected = java.util.stream.LongStream.range(0, 20).boxed().toList();
            assertThat(pushed).containsExactlyElementsOf(expected);
            assertThat(polled).containsExactlyElementsOf(expected);
            assertThat(a.get("/api/share/555555/status").json().get("listenerCount").asInt()).isEqualTo(2);
            assertThat(b.get("/api/share/555555/status").json().get("listenerCount").asInt()).isEqualTo(2);

            a.postEmpty("/api/share/555555/stop");
            assertThat(pushOnB.next().name()).isEqualTo("ended");
        }
    }

    @Test
    void requests_fail_fast_with_503_while_redis_is_down_and_recover_when_it_returns() {
        a.postJson("/api/share/start", "{\"sessionId\":\"777777\"}");
        for (long sequence = 0; sequence < 3; sequence++) a.postJson("/api/share/777777/audio", chunkJson(sequence, 441));

        redis.kill();
        long before = System.nanoTime();
        Reply down = a.postJson("/api/share/777777/audio", chunkJson(3, 441));
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.json().get("code").asText()).isEqualTo("STORE_UNAVAILABLE");
        assertThat(down.json().get("success").asBoolean(true)).isFalse();
        assertThat(down.text()).doesNotContain("Exception").doesNotContain("127.0.0.1");
        assertThat(b.get("/api/share/777777/audio?since=-1").status()).isEqualTo(503);
        assertThat(a.withAuthorization(null).get("/health").status()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(10));

        redis.restart(); // an empty Redis: it kept nothing on disk
        await().atMost(Duration.ofSeconds(30)).until(() -> a.withAuthorization(null).get("/health").status() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> b.withAuthorization(null).get("/health").status() == 200);
        assertThat(a.postJson("/api/share/start", "{\"sessionId\":\"888888\"}").status()).isEqualTo(200);
        assertThat(b.postJson("/api/share/888888/audio", chunkJson(0, 441)).status()).isEqualTo(200);
        assertThat(sequencesOf(a.get("/api/share/888888/audio?since=-1"))).containsExactly(0L);
    }

    private MusicShareServer node() {
        return MusicShareServer.start(Settings.from(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1",
                "BEARER_TOKEN", TOKEN, "REDIS_URL", redis.url(), "MAX_SESSIONS", "3", "REDIS_TIMEOUT_MS", "1000")),
                Clock.systemUTC());
    }

    private static List<Long> sequencesOf(Reply audio) {
        if (audio.status() == 204) return List.of();
        assertThat(audio.status()).as(audio.toString()).isEqualTo(200);
        return ApiTestBase.sequences(audio);
    }
}
