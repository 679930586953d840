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
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis misbehaving under two nodes, over real HTTP: a pub/sub subscription dropped while a sender posts (the node
 * must reconcile its push listeners from the store), and a Redis out of memory with {@code noeviction} (a refused
 * write changes nothing; reads go on).
 */
class RedisFaultsTest {
    private static final String TOKEN = "faults-token";
    private static final String AUTH = "Bearer " + TOKEN;
    private static RedisServer redis;
    private MusicShareServer sendingNode;
    private MusicShareServer listeningNode;
    private ApiClient sender;
    private ApiClient listener;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start("--maxmemory-policy", "noeviction");
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) redis.close();
    }

    @BeforeEach
    void startNodes() {
        redis.flush();
        sendingNode = node();
        listeningNode = node();
        sender = new ApiClient(sendingNode.port(), TOKEN);
        listener = new ApiClient(listeningNode.port(), TOKEN);
    }

    @AfterEach
    void stopNodes() {
        redis.send("CONFIG SET maxmemory 0");
        if (sendingNode != null) sendingNode.close();
        if (listeningNode != null) listeningNode.close();
    }

    @Test
    void push_listeners_get_everything_published_while_the_subscription_was_down_then_ended() {
        assertThat(sender.postJson("/api/share/start", "{\"sessionId\":\"121212\"}").status()).isEqualTo(200);
        sender.postJson("/api/share/121212/metadata", "{\"title\":\"First\"}");
        try (SseTestClient push = SseTestClient.open(listeningNode.port(), "/api/share/121212/events",
                "Authorization", AUTH)) {
            assertThat(push.next().data().get("title").asText()).isEqualTo("First");
            for (long sequence = 0; sequence < 15; sequence++) {
                if (sequence % 5 == 0) killSubscribers();
                assertThat(sender.postJson("/api/share/121212/audio", chunkJson(sequence, 441)).status())
                        .isEqualTo(200);
            }
            killSubscribers();
            sender.postJson("/api/share/121212/metadata", "{\"title\":\"Last\"}");
            assertThat(sender.postEmpty("/api/share/121212/stop").status()).isEqualTo(200);

            List<Long> audio = new ArrayList<>();
            String title = "First";
            PushEvent event;
            while (!(event = push.next()).name().equals("ended")) {
                switch (event.name()) {
                    case "audio" -> audio.add(event.sequenceNumber());
                    case "metadata" -> title = event.data().get("title").asText();
                    default -> throw new AssertionError("unexpected " + event);
                }
            }
            assertThat(audio).as("every chunk, once, in order (the buffer still held them all)")
                    .containsExactlyElementsOf(LongStream.range(0, 15).boxed().toList());
            assertThat(title).isEqualTo("Last");
            assertThat(event.data().get("reason").asText()).isEqualTo("stopped");
            await().atMost(Duration.ofSeconds(5)).until(push::closedByServer);
        }
    }

    @Test
    void a_full_redis_refuses_writes_whole_and_keeps_answering_reads() {
        assertThat(sender.postJson("/api/share/start", "{\"sessionId\":\"343434\"}").status()).isEqualTo(200);
        sender.postJson("/api/share/343434/metadata", "{\"title\":\"Before\"}");
        for (long sequence = 0; sequence < 3; sequence++) sender.postJson("/api/share/343434/audio", chunkJson(sequence, 441));
        try (SseTestClient push = SseTestClient.open(listeningNode.port(), "/api/share/343434/events",
                "Authorization", AUTH, "X-Listener-Id", "pusher")) {
            assertThat(push.next().data().get("title").asText()).isEqualTo("Before");
            assertThat(push.next(3, "audio")).extracting(PushEvent::sequenceNumber).containsExactly(0L, 1L, 2L);

            assertThat(redis.send("CONFIG SET maxmemory 1")).isEqualTo("+OK");
            assertStoreFull(sender.postJson("/api/share/343434/metadata", "{\"title\":\"Refused\"}"));
            assertStoreFull(sender.postJson("/api/share/343434/audio", chunkJson(3, 441)));
            assertStoreFull(sender.postJson("/api/share/start", "{\"sessionId\":\"565656\"}"));
            assertStoreFull(sender.postEmpty("/api/share/343434/stop"));

            Reply status = listener.get("/api/share/343434/status");
            assertThat(status.status()).as(status.toString()).isEqualTo(200);
            assertThat(status.json().get("isActive").asBoolean()).isTrue();
            assertThat(status.json().get("currentMetadata").get("title").asText()).isEqualTo("Before");
            Reply metadata = listener.get("/api/share/343434/metadata", "X-Listener-Id", "poller");
            assertThat(metadata.status()).as(metadata.toString()).isEqualTo(200);
            assertThat(metadata.json().get("title").asText()).isEqualTo("Before");
            Reply audio = listener.get("/api/share/343434/audio?since=-1", "X-Listener-Id", "poller");
            assertThat(audio.status()).as(audio.toString()).isEqualTo(200);
            assertThat(ApiTestBase.sequences(audio)).containsExactly(0L, 1L, 2L);
            assertThat(listener.withAuthorization(null).get("/health").status()).isEqualTo(200);

            assertThat(redis.send("CONFIG SET maxmemory 0")).isEqualTo("+OK");
            assertThat(sender.postJson("/api/share/343434/metadata", "{\"title\":\"After\"}").status()).isEqualTo(200);
            assertThat(sender.postJson("/api/share/343434/audio", chunkJson(3, 441)).status()).isEqualTo(200);
            assertThat(push.next().data().get("title").asText()).as("the refused title was never pushed")
                    .isEqualTo("After");
            assertThat(push.next().sequenceNumber()).isEqualTo(3);
            assertThat(sender.postJson("/api/share/start", "{\"sessionId\":\"565656\"}").status())
                    .as("the refused start reserved nothing").isEqualTo(200);
            assertThat(sender.postEmpty("/api/share/343434/stop").json().get("stats").get("chunksReceived").asInt())
                    .as("refused chunks were not counted").isEqualTo(4);
        }
    }

    private static void assertStoreFull(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
        assertThat(reply.json().get("code").asText()).isEqualTo("STORE_FULL");
        assertThat(reply.json().get("success").asBoolean(true)).isFalse();
        assertThat(reply.header("Retry-After")).isNotNull();
    }

    /** Drops every node's pub/sub connection, as Redis does to a subscriber over its output-buffer limit. */
    private static void killSubscribers() {
        assertThat(redis.send("CLIENT KILL TYPE pubsub")).startsWith(":");
    }

    private MusicShareServer node() {
        return MusicShareServer.start(Settings.from(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1",
                "BEARER_TOKEN", TOKEN, "REDIS_URL", redis.url(), "REDIS_TIMEOUT_MS", "1000")), Clock.systemUTC());
    }
}
