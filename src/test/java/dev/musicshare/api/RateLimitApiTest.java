package dev.musicshare.api;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The default limits stop walking and start floods, and never touch a real sender or its listeners: on the memory
 * store with the node's own buckets, on each shape of Redis with buckets in Redis (on a cluster each bucket's key on
 * the master of its slot; {@link SharedRateLimitTest} has several nodes).
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis", "sentinel", "cluster"})
class RateLimitApiTest extends ApiTestBase {
    /** Buckets refill by the server's clock: held still, a test counts exact budgets however slow the machine. */
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));

    @Override
    Clock clock() {
        return clock;
    }

    @Test
    void walking_the_session_id_space_is_throttled() {
        expect(200, start("123456"));
        List<Integer> statuses = new ArrayList<>();
        for (int id = 200_000; id < 200_070; id++) statuses.add(api.get("/api/share/" + id + "/metadata").status());
        assertThat(statuses.subList(0, 60)).containsOnly(404);
        assertThat(statuses.subList(60, 70)).containsOnly(429);
        Reply throttled = api.get("/api/share/200071/audio");
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.json().get("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(Integer.parseInt(throttled.header("Retry-After"))).isBetween(1, 60);
        // POSTs walk too.
        assertThat(api.postJson("/api/share/200072/metadata", "{}").status()).isEqualTo(429);
    }

    @Test
    void a_flood_of_session_starts_from_one_address_is_throttled() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String id = String.valueOf(300_000 + i);
            statuses.add(start(id).status());
            api.postEmpty("/api/share/" + id + "/stop"); // keep under MAX_SESSIONS: only the start rate matters here
        }
        assertThat(statuses.subList(0, 20)).containsOnly(200);
        assertThat(statuses.subList(20, 25)).containsOnly(429);
    }

    @Test
    void a_real_time_sender_and_its_pollers_are_never_throttled() {
        expect(200, start("123456"));
        List<Integer> statuses = new ArrayList<>();
        long sequence = 0;
        // 3 s at 50 chunks/s (the fastest real sender), metadata 4/s, three pollers at 10 polls/s each: in real time
        // on the server's clock, which the buckets refill by, so the 3 s take no wall time (as fast as the machine
        // answers; a machine slower than real time would only have given the buckets more time to refill).
        for (int tick = 0; tick < 150; tick++) {
            statuses.add(api.postJson("/api/share/123456/audio", chunkJson(sequence++, 441)).status());
            if (tick % 12 == 0) statuses.add(api.postJson("/api/share/123456/metadata", "{\"title\":\"t\"}").status());
            if (tick % 5 == 0) {
                for (String poller : List.of("a", "b", "c")) {
                    statuses.add(api.get("/api/share/123456/audio?since=" + Math.max(-1, sequence - 3), "X-Listener-Id", poller)
                            .status());
                    statuses.add(api.get("/api/share/123456/metadata", "X-Listener-Id", poller).status());
                }
            }
            clock.advance(Duration.ofMillis(20));
        }
        assertThat(statuses).hasSizeGreaterThan(300).allMatch(status -> status == 200 || status == 204);
    }
}
