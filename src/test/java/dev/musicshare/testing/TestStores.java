package dev.musicshare.testing;

import java.util.Map;

/** The store a test runs on, by name: "memory" (nothing to start) or "redis" (a redis-server this JVM owns). */
public final class TestStores {
    private TestStores() {}

    /** The environment that selects the store; for Redis, a server empty of earlier tests' data. */
    public static Map<String, String> environment(String kind) {
        return switch (kind) {
            case "memory" -> Map.of();
            case "redis" -> Map.of("REDIS_URL", SharedRedis.freshUrl());
            default -> throw new IllegalArgumentException("unknown store kind: " + kind);
        };
    }
}
