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
 * @param replicaWait     replicas a sender's write must reach before it is acknowledged; its WAIT timeout must be
 *                        below {@code timeout}, which the client applies to WAIT as to every command
 */
public record RedisOptions(String url, Duration timeout, int connections, long chunkCacheBytes,
        ReplicaWait replicaWait) {
    /** Without waiting for replicas. */
    public RedisOptions(String url, Duration timeout, int connections, long chunkCacheBytes) {
        this(url, timeout, connections, chunkCacheBytes, ReplicaWait.NONE);
    }

    public RedisOptions {
        if (replicaWait == null) throw new IllegalArgumentException("replicaWait must be set");
        if (replicaWait.enabled() && timeout != null && replicaWait.timeout().compareTo(timeout) >= 0) {
            throw new IllegalArgumentException("the WAIT timeout (" + replicaWait.timeout().toMillis()
                    + " ms) must be below the command timeout (" + timeout.toMillis() + " ms)");
        }
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
        return new RedisOptions(url, value, connections, chunkCacheBytes, replicaWait);
    }

    public RedisOptions withChunkCacheBytes(long value) {
        return new RedisOptions(url, timeout, connections, value, replicaWait);
    }

    /** Never the URL: it may hold a password. */
    @Override
    public String toString() {
        return "RedisOptions[timeout=" + timeout + ", connections=" + connections + ", chunkCacheBytes="
                + chunkCacheBytes + ", replicaWait=" + replicaWait + "]";
    }
}
