package dev.musicshare.redis;

import dev.musicshare.config.Settings;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.store.ShareStore;
import dev.musicshare.store.StoreSettings;
import dev.musicshare.testing.SharedRedis;
import dev.musicshare.testing.TestStores;
import java.time.Duration;
import java.util.Map;

/** The Redis store as the store contracts run it: its own database on the suite's Redis, and real time. */
final class RedisTestStores {
    private RedisTestStores() {}

    static ShareStore create(StoreSettings settings) {
        return open(SharedRedis.freshUrl(), settings, Duration.ofSeconds(2));
    }

    /** The store on the JVM's Sentinel setup (master, replica, three sentinels), emptied first. */
    static ShareStore onSentinel(StoreSettings settings) {
        return open(TestStores.freshSentinelUrl(), settings, Duration.ofSeconds(2));
    }

    /** The store on the JVM's Redis Cluster (three masters with a replica each), emptied first. */
    static ShareStore onCluster(StoreSettings settings) {
        return open(TestStores.freshClusterUrl(), settings, Duration.ofSeconds(2));
    }

    /** A store on {@code url} with the production defaults but the given command timeout. */
    static ShareStore open(String url, StoreSettings settings, Duration timeout) {
        return new RedisShareStore(options(url).withTimeout(timeout), settings, ShareMetrics.inMemory());
    }

    /** The options a server on {@code url} uses by default ({@code REDIS_*} settings unset). */
    static RedisOptions options(String url) {
        return Settings.from(Map.of("REDIS_URL", url)).redisOptions();
    }
}
