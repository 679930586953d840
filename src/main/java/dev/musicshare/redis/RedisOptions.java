package dev.musicshare.redis;

import java.time.Duration;

/**
 * How a node talks to Redis. Built from the settings ({@code REDIS_*}, {@code dev.musicshare.config.Settings}),
 * where their defaults live; nowhere else.
 *
 * @param url             redis://[user:password@]host:port[/db] (holds credentials: never logged)
 * @param timeout         how long one command may take before the request fails as unavailable
 * @param connections     connections opened for commands and taken in turn
 * @param chunkCacheBytes chunk JSON the node may hold in memory to spare Redis re-sending it; 0 turns that off
 */
public record RedisOptions(String url, Duration timeout, int connections, long chunkCacheBytes) {
    public RedisOptions {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("url must be set");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (connections < 1) throw new IllegalArgumentException("connections must be at least 1, was " + connections);
        if (chunkCacheBytes < 0) {
            throw new IllegalArgumentException("chunkCacheBytes must not be negative, was " + chunkCacheBytes);
        }
    }

    public RedisOptions withTimeout(Duration value) {
        return new RedisOptions(url, value, connections, chunkCacheBytes);
    }

    public RedisOptions withChunkCacheBytes(long value) {
        return new RedisOptions(url, timeout, connections, value);
    }

    /** Never the URL: it may hold a password. */
    @Override
    public String toString() {
        return "RedisOptions[timeout=" + timeout + ", connections=" + connections + ", chunkCacheBytes="
                + chunkCacheBytes + "]";
    }
}
