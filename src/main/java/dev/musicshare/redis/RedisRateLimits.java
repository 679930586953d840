package dev.musicshare.redis;

import dev.musicshare.limits.BucketStore;
import dev.musicshare.limits.SharedBucketStore;
import dev.musicshare.store.StoreUnavailableException;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce.LettuceBasedProxyManagerBuilder;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Rate-limit buckets in Redis (Bucket4j's Lettuce proxies, compare-and-swap on one key per bucket), on any of the
 * three shapes of {@code REDIS_URL}. Each bucket is one key, so on a cluster the buckets spread over the slots like
 * any key; a key expires once its bucket would be full again, so idle clients leave nothing behind.
 */
public final class RedisRateLimits {
    /** Kept past the refill time, so a bucket is not dropped while a client that paused briefly comes back. */
    private static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(10);

    private RedisRateLimits() {}

    /**
     * Opens one connection for the limits (commands are a few bytes; they need no more) and returns the store.
     *
     * @param timeout how long one limit check may wait for Redis before the request is let through
     * @throws StoreUnavailableException when Redis cannot be reached now
     */
    public static BucketStore open(RedisUrl url, Duration timeout) {
        try {
            if (url.kind() == RedisUrl.Kind.CLUSTER) return cluster(timeout, url);
            return single(RedisUris.of(url, timeout).get(0), timeout, url);
        } catch (RedisException e) {
            throw StartUpFailure.of(url, " for rate limits", e);
        }
    }

    private static BucketStore single(RedisURI uri, Duration timeout, RedisUrl url) {
        RedisClient client = RedisReachability.reported(RedisClient.create(RedisConnector.resources(), uri),
                "rate limit");
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout)).build());
        try {
            StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
            SentinelSwitches switches = SentinelSwitches.watch(client, url, timeout, "rate limit",
                    List.of(connection));
            return shared(() -> Bucket4jLettuce.casBasedBuilder(connection.async()), timeout, url, () -> {
                if (switches != null) switches.close();
                connection.close();
                RedisConnector.shutdown(client);
            });
        } catch (RuntimeException e) {
            RedisConnector.shutdown(client);
            throw e;
        }
    }

    private static BucketStore cluster(Duration timeout, RedisUrl url) {
        RedisClusterClient client = RedisConnector.clusterForCommands(url, timeout, "rate limit");
        try {
            StatefulRedisClusterConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
            RedisConnections.openToMasters(connection);
            return shared(() -> Bucket4jLettuce.casBasedBuilder(connection.async()), timeout, url, () -> {
                connection.close();
                RedisConnector.shutdown(client);
            });
        } catch (RuntimeException e) {
            RedisConnector.shutdown(client);
            throw e;
        }
    }

    /** The part both shapes share: proxies on the server's clock, keys that expire, checks that time out. */
    private static BucketStore shared(Supplier<LettuceBasedProxyManagerBuilder<byte[]>> builders, Duration timeout,
            RedisUrl url, AutoCloseable connection) {
        Function<TimeMeter, ProxyManager<byte[]>> proxies = time -> builders.get().clientClock(time)
                .expirationAfterWrite(expiry()).requestTimeout(timeout).build();
        return new SharedBucketStore(proxies, "Redis at " + url.describe(), connection);
    }

    private static ExpirationAfterWriteStrategy expiry() {
        return ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL);
    }
}
