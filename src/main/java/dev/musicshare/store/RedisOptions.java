package dev.musicshare.store;

import java.time.Duration;

/**
 * How a node talks to Redis.
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
    /**
     * Every session's whole buffer at the default limits: 50 sessions × 5 s of 44.1 kHz stereo float32, as base64
     * (470 KB/s), is 118 MB. Less holds only the newest seconds, and pollers that fall further behind cost Redis
     * the full chunk again (measured: 64 MB let half the desktop scenario's chunk reads through to Redis).
     */
    public static final long DEFAULT_CHUNK_CACHE_BYTES = 128L * 1024 * 1024;
    public static final int DEFAULT_CONNECTIONS = 4;

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

    /** The defaults, with a 2 s command timeout. */
    public static RedisOptions of(String url) {
        return new RedisOptions(url, Duration.ofSeconds(2), DEFAULT_CONNECTIONS, DEFAULT_CHUNK_CACHE_BYTES);
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
