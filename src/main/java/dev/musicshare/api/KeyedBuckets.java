package dev.musicshare.api;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key (a client address, a session id), all with one bandwidth. Bucket4j provides the buckets;
 * this only keeps the map bounded: past {@link #MAX_KEYS} keys, buckets that are full again (idle clients) go.
 */
final class KeyedBuckets {
    private static final int MAX_KEYS = 50_000;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final long capacity;
    private final Bandwidth bandwidth;

    KeyedBuckets(long capacity, long refill, Duration period) {
        this.capacity = capacity;
        this.bandwidth = Bandwidth.builder().capacity(capacity).refillGreedy(refill, period).build();
    }

    Bucket bucket(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) return bucket;
        if (buckets.size() >= MAX_KEYS) buckets.values().removeIf(idle -> idle.getAvailableTokens() >= capacity);
        return buckets.computeIfAbsent(key, k -> Bucket.builder().addLimit(bandwidth).build());
    }
}
