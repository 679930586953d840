package dev.musicshare.testing;

import java.util.Map;

/**
 * The store a test runs on, by name: "memory" (nothing to start), "redis" (a redis-server this JVM owns) or
 * "sentinel" (the JVM's {@link RedisSentinel} setup: master, replica, three sentinels) or "cluster" (the JVM's
 * {@link RedisCluster}: three masters with a replica each). The suite runs in two JVMs, each with setups of its own, and
 * runs one class at a time in each, so emptying a shared setup before a test never pulls it from under another.
 */
public final class TestStores {
    private TestStores() {}

    /** The environment that selects the store; for Redis, a server empty of earlier tests' data. */
    public static Map<String, String> environment(String kind) {
        return switch (kind) {
            case "memory" -> Map.of();
            case "redis" -> Map.of("REDIS_URL", SharedRedis.freshUrl());
            case "sentinel" -> Map.of("REDIS_URL", freshSentinelUrl());
            case "cluster" -> Map.of("REDIS_URL", freshClusterUrl());
            default -> throw new IllegalArgumentException("unknown store kind: " + kind);
        };
    }

    /** The shared cluster's seed URL ({@code redis-cluster://…}), with every key deleted on every master. */
    public static String freshClusterUrl() {
        RedisCluster cluster = RedisCluster.shared();
        cluster.flush();
        return cluster.url();
    }

    /** The shared Sentinel setup's URL, with every key deleted. */
    public static String freshSentinelUrl() {
        RedisSentinel sentinel = RedisSentinel.shared();
        sentinel.flush();
        return sentinel.url();
    }
}
