package dev.musicshare.api;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Redis (with AOF persistence, as the Compose file runs it) is killed and restarted under a running sender and
 * poller: requests fail fast with 503 during the outage, service resumes by itself, and no chunk acknowledged with
 * 200 before the outage is missing afterwards.
 */
class RedisOutageUnderLoadTest {

    @Test
    void acknowledged_chunks_survive_a_redis_restart_and_service_resumes() throws Exception {
        try (RedisServer redis = RedisServer.start("--appendonly", "yes", "--appendfsync", "always");
                MusicShareServer server = MusicShareServer.start(Settings.from(Map.of("PORT", "0",
                        "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN", "t", "REDIS_URL", redis.url(),
                        "REDIS_TIMEOUT_MS", "500", "AUDIO_BUFFER_CHUNKS", "1000", "AUDIO_TTL_SECONDS", "60")),
                        Clock.systemUTC())) {
            ApiClient api = new ApiClient(server.port(), "t");
            assertThat(api.postJson("/api/share/start", "{\"sessionId\":\"424242\"}").status()).isEqualTo(200);
            Set<Long> acknowledged = new ConcurrentSkipListSet<>();
            Set<Long> received = new ConcurrentSkipListSet<>();
            AtomicInteger unavailable = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread sender = new Thread(() -> {
                for (long sequence = 0; running.get(); sequence++) {
                    Reply reply = api.postJson("/api/share/424242/audio", chunkJson(sequence, 441));
                    if (reply.status() == 200) acknowledged.add(sequence);
                    else if (reply.status() == 503) unavailable.incrementAndGet();
                    pause(50);
                }
            });
            Thread poller = new Thread(() -> {
                long highest = -1;
                while (running.get()) {
                    Reply reply = api.get("/api/share/424242/audio?since=" + highest, "X-Listener-Id", "poller");
                    if (reply.status() == 200) {
                        for (long sequence : ApiTestBase.sequences(reply)) {
                            received.add(sequence);
                            highest = Math.max(highest, sequence);
                        }
                    }
                    pause(100);
                }
            });
            sender.start();
            poller.start();
            pause(1_500);
            redis.kill();
            Set<Long> acknowledgedBeforeOutage = new TreeSet<>(acknowledged);
            pause(1_500);
            redis.restart(); // replays its append-only file
            await().atMost(Duration.ofSeconds(30)).until(() -> api.withAuthorization(null).get("/health").status() == 200);
            int ackedBeforeRecovery = acknowledged.size();
            await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() > ackedBeforeRecovery + 10);
            pause(3_000); // past the reorder window for the holes the outage left
            running.set(false);
            sender.join();
            poller.join();

            assertThat(unavailable.get()).as("sender requests refused with 503 during the outage").isPositive();
            assertThat(acknowledgedBeforeOutage).hasSizeGreaterThan(10);
            Reply buffer = api.get("/api/share/424242/audio?since=-1");
            assertThat(ApiTestBase.sequences(buffer)).containsAll(acknowledgedBeforeOutage);
            assertThat(received).containsAll(acknowledgedBeforeOutage);
            assertThat(received).containsAll(acknowledged.stream().filter(s -> s < Collections.max(received)).toList());
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
