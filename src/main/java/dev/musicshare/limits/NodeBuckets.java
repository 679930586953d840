package dev.musicshare.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets in this node's memory, by key, all with one bandwidth. Bucket4j provides the buckets; this only
 * keeps the map bounded: past {@link #MAX_KEYS} keys, buckets that are full again (idle clients) go.
 */
final class NodeBuckets implements KeyedBuckets {
    private static final int MAX_KEYS = 50_000;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final long capacity;
    private final Bandwidth bandwidth;
    private final TimeMeter time;

    NodeBuckets(String name, long capacity, long refill, Duration period, Clock clock) {
        this.capacity = capacity;
        this.bandwidth = Bandwidth.builder().capacity(capacity).refillGreedy(refill, period).build();
        this.time = ClockTime.of(clock);
    }

    @Override
    public long take(String key) {
        ConsumptionProbe probe = bucket(key).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    @Override
    public boolean isEmpty(String key) {
        return bucket(key).getAvailableTokens() < 1;
    }

    @Override
    public void spend(String key) {
        bucket(key).tryConsume(1);
    }

    private Bucket bucket(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) return bucket;
        if (buckets.size() >= MAX_KEYS) buckets.values().removeIf(idle -> idle.getAvailableTokens() >= capacity);
        return buckets.computeIfAbsent(key, k -> Bucket.builder().withCustomTimePrecision(time).addLimit(bandwidth).build());
    }
}
