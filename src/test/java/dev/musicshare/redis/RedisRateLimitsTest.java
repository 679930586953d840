package dev.musicshare.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.limits.BucketStore;
import dev.musicshare.limits.KeyedBuckets;
import dev.musicshare.testing.MutableClock;
import dev.musicshare.testing.RedisCluster;
import dev.musicshare.testing.RedisSentinel;
import dev.musicshare.testing.RedisServer;
import dev.musicshare.testing.SharedRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rate-limit buckets in Redis on each shape of it: two nodes' stores take from one budget, and when the master
 * dies the limits let requests through until the new master answers, then hold again.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"single", "sentinel", "cluster"})
class RedisRateLimitsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));

    @Parameter
    String shape;

    @Test
    void two_nodes_take_from_one_budget_for_each_key() {
        String url = url();
        try (BucketStore one = RedisRateLimits.open(RedisUrl.parse(url), TIMEOUT);
                BucketStore two = RedisRateLimits.open(RedisUrl.parse(url), TIMEOUT)) {
            List<KeyedBuckets> nodes = List.of(one.buckets("test", 10, 10, Duration.ofMinutes(1), clock),
                    two.buckets("test", 10, 10, Duration.ofMinutes(1), clock));
            // Keys land in different slots: on a cluster, on different masters.
            List<String> keys = List.of(runKey("a"), runKey("b"), runKey("c"));
            for (String key : keys) {
                List<Long> waits = new ArrayList<>();
                for (int i = 0; i < 15; i++) waits.add(nodes.get(i % 2).take(key));
                assertThat(waits.subList(0, 10)).as(key).containsOnly(0L);
                assertThat(waits.subList(10, 15)).as(key).allMatch(nanos -> nanos > 0 && nanos <= 6_000_000_000L);
            }
            clock.advance(Duration.ofSeconds(6)); // one token back, shared
            assertThat(nodes.get(1).take(keys.get(0))).isZero();
            assertThat(nodes.get(0).take(keys.get(0))).isPositive();
        }
    }

    @Test
    void when_the_master_dies_limits_let_requests_through_and_hold_again_on_the_new_master() {
        if (shape.equals("single")) return; // one Redis has no failover; SharedRateLimitTest covers its outage
        String url = url();
        try (BucketStore store = RedisRateLimits.open(RedisUrl.parse(url), TIMEOUT)) {
            KeyedBuckets buckets = store.buckets("test", 3, 3, Duration.ofMinutes(1), clock);
            String key = runKey("failover");
            for (int i = 0; i < 3; i++) assertThat(buckets.take(key)).isZero();
            assertThat(buckets.take(key)).isPositive();
            RedisServer killed = killMasterOf(key);
            try {
                // While no master answers for the key, nothing is refused (the store answers 503 for its own).
                assertThat(buckets.take(key)).isZero();
                awaitFailover(killed);
                // The new master started from the replica's copy (or empty, if the bucket had not reached it):
                // either way the limit holds again within its capacity.
                await().atMost(Duration.ofSeconds(30)).until(() -> buckets.take(key) > 0);
            } finally {
                restore(killed);
            }
        }
    }

    private String url() {
        return switch (shape) {
            case "single" -> SharedRedis.freshUrl();
            case "sentinel" -> RedisSentinel.shared().url();
            case "cluster" -> RedisCluster.shared().url();
            default -> throw new IllegalArgumentException(shape);
        };
    }

    private RedisServer killMasterOf(String key) {
        if (shape.equals("sentinel")) return RedisSentinel.shared().killMaster();
        RedisServer master = RedisCluster.shared().masterOf("ratelimit:test:" + key);
        RedisCluster.shared().kill(master);
        return master;
    }

    private void awaitFailover(RedisServer killed) {
        if (shape.equals("sentinel")) RedisSentinel.shared().awaitFailover(killed, Duration.ofSeconds(30));
        else RedisCluster.shared().awaitFailover(killed, Duration.ofSeconds(30));
    }

    private void restore(RedisServer killed) {
        if (shape.equals("sentinel")) RedisSentinel.shared().restore(killed);
        else RedisCluster.shared().restore(killed);
    }

    /** Keys of this run only: the shared setups are not flushed between tests. */
    private static String runKey(String name) {
        return name + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }
}
