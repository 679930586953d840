package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.limits.SharedBucketStore;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.MutableClock;
import dev.musicshare.testing.RedisServer;
import dev.musicshare.testing.SharedRedis;
import dev.musicshare.testing.TestHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * On Redis the rate limits hold across nodes: clients spread over two nodes get the configured budget in total, not
 * once per node. When Redis does not answer, a limit lets requests through (the store answers 503) and says so once.
 */
class SharedRateLimitTest {
    private static final String TOKEN = "test-token-0123456789";
    private final List<MusicShareServer> nodes = new ArrayList<>();
    /** Held still: buckets do not refill while the test counts (it would on a slow machine by the real clock). */
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));

    @AfterEach
    void stopNodes() {
        nodes.forEach(MusicShareServer::close);
    }

    @Test
    void session_starts_from_one_address_are_limited_in_total_over_two_nodes() {
        String url = SharedRedis.freshUrl();
        List<ApiClient> clients = List.of(node(url, clock), node(url, clock));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            ApiClient client = clients.get(i % 2);
            String id = String.valueOf(400_000 + i);
            statuses.add(client.postJson("/api/share/start", "{\"sessionId\":\"" + id + "\"}").status());
            client.postEmpty("/api/share/" + id + "/stop");
        }
        // 20 per minute in all: per-node buckets would have let all 26 through (13 on each node).
        assertThat(statuses.subList(0, 20)).containsOnly(200);
        assertThat(statuses.subList(20, 26)).containsOnly(429);
    }

    @Test
    void walking_session_ids_over_two_nodes_is_stopped_after_the_one_shared_allowance() {
        String url = SharedRedis.freshUrl();
        List<ApiClient> clients = List.of(node(url, clock), node(url, clock));
        List<Integer> statuses = new ArrayList<>();
        for (int id = 500_000; id < 500_070; id++) {
            statuses.add(clients.get(id % 2).get("/api/share/" + id + "/metadata").status());
        }
        assertThat(statuses.subList(0, 60)).containsOnly(404);
        assertThat(statuses.subList(60, 70)).containsOnly(429);
    }

    @Test
    void without_redis_a_limit_lets_the_request_through_to_the_stores_503_and_logs_the_outage_once() {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(SharedBucketStore.class);
        logged.start();
        logger.addAppender(logged);
        try (RedisServer redis = RedisServer.start()) {
            ApiClient client = node(redis.url(), Clock.systemUTC());
            assertThat(client.postJson("/api/share/start", "{\"sessionId\":\"600000\"}").status()).isEqualTo(200);
            redis.kill();
            for (int i = 0; i < 5; i++) {
                Reply start = client.postJson("/api/share/start", "{\"sessionId\":\"60000" + (i + 1) + "\"}");
                assertThat(start.status()).as(start.toString()).isEqualTo(503);
                assertThat(start.header("Retry-After")).isNotNull();
                assertThat(start.json().get("code").asText()).isEqualTo("STORE_UNAVAILABLE");
            }
            assertThat(messages(logged)).filteredOn(m -> m.startsWith("rate limits cannot reach")).hasSize(1);
            redis.restart();
            // Each connection comes back on its own schedule (Lettuce's reconnect backoff); starts take from the
            // limit's bucket. A fresh id per try: a start cut short by a connection not yet back is not retried.
            AtomicInteger nextId = new AtomicInteger(600_010);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                client.postJson("/api/share/start", "{\"sessionId\":\"" + nextId.getAndIncrement() + "\"}");
                return messages(logged).contains("rate limits are shared through Redis at " + describe(redis) + " again");
            });
            assertThat(messages(logged)).filteredOn(m -> m.startsWith("rate limits cannot reach")).hasSize(1);
        } finally {
            logger.detachAppender(logged);
        }
    }

    private ApiClient node(String redisUrl, Clock clock) {
        MusicShareServer server = MusicShareServer.start(Settings.from(Map.of("REDIS_URL", redisUrl, "PORT", "0",
                "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN", TOKEN, "MAX_SESSIONS", "5",
                "HISTORY_DIR", TestHistory.dir())), clock);
        nodes.add(server);
        return new ApiClient(server.port(), TOKEN);
    }

    private static String describe(RedisServer redis) {
        return "redis://127.0.0.1:" + redis.port();
    }

    private static List<String> messages(ListAppender<ILoggingEvent> logged) {
        synchronized (logged.list) {
            return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
