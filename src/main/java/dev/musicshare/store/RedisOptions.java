package dev.musicshare.store;

import java.time.Duration;

/**
 * How a node talks to Redis. The values come from the settings ({@code REDIS_*}); their defaults live there.
 *
 * @param url             redis://[user:password@]host:port[/db] (holds credentials: never logged)
 * @param timeout         how long one command may take before the request fails as unavailable
 * @param connections     connections opened and taken in turn
 * @param chunkCacheBytes chunk JSON the node may hold in memory to spare Redis re-sending it; 0 turns that off
 * @param publishReleasedAudio whether the store publishes each chunk it releases to the session's events channel
 *                        ({@link RedisShareStore#eventsChannel}) itself; the server does, its push events travel
 *                        over that channel
 */
public record RedisOptions(String url, Duration timeout, int connections, long chunkCacheBytes,
        boolean publishReleasedAudio) {
    /** Options for a store that leaves announcing released chunks to its caller. */
    public RedisOptions(String url, Duration timeout, int connections, long chunkCacheBytes) {
        this(url, timeout, connections, chunkCacheBytes, false);
    }

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
        return new RedisOptions(url, value, connections, chunkCacheBytes, publishReleasedAudio);
    }

    public RedisOptions withChunkCacheBytes(long value) {
        return new RedisOptions(url, timeout, connections, value, publishReleasedAudio);
    }

    public RedisOptions withReleasedAudioPublished() {
        return new RedisOptions(url, timeout, connections, chunkCacheBytes, true);
    }

    /** Never the URL: it may hold a password. */
    @Override
    public String toString() {
        return "RedisOptions[timeout=" + timeout + ", connections=" + connections + ", chunkCacheBytes="
                + chunkCacheBytes + ", publishReleasedAudio=" + publishReleasedAudio + "]";
    }
}
