package dev.musicshare.backend;

import dev.musicshare.config.Settings;
import dev.musicshare.limits.BucketStore;
import dev.musicshare.live.LiveHub;
import dev.musicshare.live.LocalShareEvents;
import dev.musicshare.live.SessionWatcher;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.lease.LocalRecordingLeases;
import dev.musicshare.lease.RecordingLeases;
import dev.musicshare.redis.RedisRateLimits;
import dev.musicshare.redis.RedisRecordingLeases;
import dev.musicshare.redis.RedisShareEvents;
import dev.musicshare.redis.RedisShareStore;
import dev.musicshare.redis.RedisUrl;
import dev.musicshare.store.MemoryShareStore;
import dev.musicshare.store.StoreUnavailableException;

/**
 * Opens the backend the settings name: with no {@code REDIS_URL}, sessions in this process's memory and events
 * handed straight to its hub (one node) and the node's own rate-limit buckets; with one, sessions, rate-limit buckets
 * in Redis and events over Redis pub/sub (sharded pub/sub on a cluster), so any number of nodes serve them — on a
 * single Redis, a Sentinel setup or a Redis Cluster alike. The only place that chooses between memory and Redis.
 */
public final class Backends {
    private Backends() {}

    /**
     * @throws StoreUnavailableException when Redis is configured but unreachable (a configuration error at start-up)
     */
    public static Backend open(Settings settings, ShareMetrics metrics) {
        if (settings.redisUrl() == null) {
            LiveHub hub = new LiveHub();
            return new Backend(new MemoryShareStore(settings.store()), new LocalShareEvents(hub),
                    SessionWatcher.IN_PROCESS, hub, () -> { }, BucketStore.perNode(), new LocalRecordingLeases());
        }
        RedisShareStore store = new RedisShareStore(settings.redisOptions(), settings.store(), metrics);
        BucketStore rateLimits = null;
        RecordingLeases leases = null;
        try {
            rateLimits = RedisRateLimits.open(RedisUrl.parse(settings.redisUrl()), settings.redisTimeout());
            leases = new RedisRecordingLeases(settings.redisOptions(), metrics);
            RedisShareEvents events = new RedisShareEvents(settings.redisOptions());
            LiveHub hub = new LiveHub(events);
            events.deliverTo(hub);
            return new Backend(store, events, events, hub, events, rateLimits, leases);
        } catch (RuntimeException e) {
            if (leases != null) leases.close();
            if (rateLimits != null) rateLimits.close();
            store.close();
            throw e;
        }
    }
}
