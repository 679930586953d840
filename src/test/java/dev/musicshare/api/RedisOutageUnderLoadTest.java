package dev.musicshare.api;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Redis (with AOF persistence, as the Compose file runs it) is killed and restarted under a running sender and
 * poller. Every answer either side gets, before, during and after the outage, is a success or a 503
 * {@code STORE_UNAVAILABLE} with {@code Retry-After}; the same server serves again once Redis is back; and every chunk
 * acknowledged with 200, before the outage or after it, reaches the buffer and the poller.
 */
class RedisOutageUnderLoadTest {
    private static final String SESSION = "424242";

    @Test
    void acknowledged_chunks_survive_a_redis_restart_and_service_resumes() throws Exception {
        try (RedisServer redis = RedisServer.start("--appendonly", "yes", "--appendfsync", "always");
                MusicShareServer server = MusicShareServer.start(Settings.from(Map.of("PORT", "0",
                        "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN", "t", "REDIS_URL", redis.url(),
                        "REDIS_TIMEOUT_MS", "1000", "AUDIO_BUFFER_CHUNKS", "1000", "AUDIO_TTL_SECONDS", "60")),
                        Clock.systemUTC())) {
            ApiClient api = new ApiClient(server.port(), "t");
            assertThat(api.postJson("/api/share/start", "{\"sessionId\":\"" + SESSION + "\"}").status())
                    .isEqualTo(200);
            Set<Long> acknowledged = new ConcurrentSkipListSet<>();
            Set<Long> received = new ConcurrentSkipListSet<>();
            AtomicLong posted = new AtomicLong();
            AtomicInteger senderRefused = new AtomicInteger();
            AtomicInteger pollerRefused = new AtomicInteger();
            ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicBoolean polling = new AtomicBoolean(true);
            Thread sender = new Thread(() -> {
                for (long sequence = 0; sending.get(); sequence++) {
                    Reply reply = api.postJson("/api/share/" + SESSION + "/audio", chunkJson(sequence, 441));
                    posted.set(sequence + 1);
                    if (reply.status() == 200) acknowledged.add(sequence);
                    else if (isUnavailable(reply)) senderRefused.incrementAndGet();
                    else unexpected.add("audio " + sequence + ": " + reply);
                    pace(50);
                }
            });
            Thread poller = new Thread(() -> {
                long highest = -1;
                while (polling.get()) {
                    Reply reply = api.get("/api/share/" + SESSION + "/audio?since=" + highest, "X-Listener-Id",
                            "poller");
                    if (reply.status() == 200) {
                        for (long sequence : ApiTestBase.sequences(reply)) {
                            received.add(sequence);
                            highest = Math.max(highest, sequence);
                        }
                    } else if (isUnavailable(reply)) {
                        pollerRefused.incrementAndGet();
                    } else if (reply.status() != 204) {
                        unexpected.add("poll since " + highest + ": " + reply);
                    }
                    pace(100);
                }
            });
            sender.start();
            poller.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() > 10 && !received.isEmpty());

            ListAppender<ILoggingEvent> logged = new ListAppender<>();
            Logger errors = (Logger) LoggerFactory.getLogger(ErrorResponses.class);
            logged.start();
            errors.addAppender(logged);
            long outageBegan = System.nanoTime();
            redis.kill();
            await().atMost(Duration.ofSeconds(30)).until(() -> senderRefused.get() >= 3 && pollerRefused.get() >= 3);
            // Taken once both sides have been refused, so no request from before the kill is still on its way.
            // appendfsync always: a chunk acknowledged was on disk before its 200.
            Set<Long> acknowledgedBeforeOutage = new TreeSet<>(acknowledged);

            redis.restart(); // replays its append-only file; the server is not restarted
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api.withAuthorization(null).get("/health").status() == 200);
            errors.detachAppender(logged);
            double outageSeconds = (System.nanoTime() - outageBegan) / 1e9;
            List<ILoggingEvent> refusalLines;
            synchronized (logged.list) {
                refusalLines = logged.list.stream()
                        .filter(event -> event.getFormattedMessage().startsWith("store unavailable")).toList();
            }
            int refused = senderRefused.get() + pollerRefused.get();
            int ackedAtRecovery = acknowledged.size();
            await().atMost(Duration.ofSeconds(15)).until(() -> acknowledged.size() > ackedAtRecovery + 10);
            sending.set(false);
            sender.join();
            long sent = posted.get();
            // Chunks after the outage's hole are held for the reorder window, then released to the poller.
            await().atMost(Duration.ofSeconds(20)).until(() -> received.containsAll(acknowledged));
            polling.set(false);
            poller.join();

            assertThat(unexpected).as("answers other than success or 503 STORE_UNAVAILABLE with Retry-After")
                    .isEmpty();
            // One line a second at most while every request is refused, each counting the refusals it stood for.
            assertThat(refusalLines).as("refusal log lines over %.1f s of outage, %d refusals", outageSeconds, refused)
                    .isNotEmpty().hasSizeLessThanOrEqualTo((int) Math.ceil(outageSeconds) + 1);
            assertThat(refusalLines.size()).as("fewer lines than refusals (%d)", refused).isLessThan(refused);
            assertThat(refusalLines).as("each line counts the refusals it stood for").allSatisfy(event -> assertThat(
                    event.getKeyValuePairs()).anySatisfy(pair -> assertThat(pair.key).isEqualTo("refusedWithoutALine")));
            assertThat(acknowledgedBeforeOutage).hasSizeGreaterThan(10);
            assertThat(acknowledged).as("acknowledged after recovery").hasSizeGreaterThan(ackedAtRecovery + 10);
            List<Long> buffered = ApiTestBase.sequences(api.get("/api/share/" + SESSION + "/audio?since=-1"));
            assertThat(buffered).as("the buffer after the outage").containsAll(acknowledged);
            assertThat(received).as("what the poller heard").containsAll(acknowledged)
                    .allSatisfy(sequence -> assertThat(sequence).isBetween(0L, sent - 1));
            Reply status = api.get("/api/share/" + SESSION + "/status");
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.json().get("isActive").asBoolean()).isTrue();
            assertThat(api.postJson("/api/share/" + SESSION + "/metadata", "{\"title\":\"After\"}").status())
                    .isEqualTo(200);
        }
    }

    /** The outage's one allowed refusal: 503 STORE_UNAVAILABLE, telling the client when to retry. */
    private static boolean isUnavailable(Reply reply) {
        return reply.status() == 503 && reply.header("Retry-After") != null
                && "STORE_UNAVAILABLE".equals(reply.json().path("code").asText());
    }

    /** The load's own rate, not a wait for a condition. */
    private static void pace(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
