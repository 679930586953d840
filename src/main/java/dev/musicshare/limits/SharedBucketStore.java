package dev.musicshare.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buckets that every node takes from: Bucket4j's proxies over a shared store (Redis), one entry per limit and key
 * ({@code ratelimit:NAME:KEY}). When the store does not answer, a limit must not become an outage of its own: the
 * request is allowed, and the outage is logged once (and its end once), while the store's own requests answer 503.
 */
public final class SharedBucketStore implements BucketStore {
    private static final Logger log = LoggerFactory.getLogger(SharedBucketStore.class);
    /** Bound on the node-local memory of which keys this node spent from (see {@link KeyedBuckets#isEmpty}). */
    private static final int MAX_REMEMBERED_KEYS = 50_000;

    private final Function<TimeMeter, ProxyManager<byte[]>> proxies;
    private final String where;
    private final AutoCloseable connection;
    private final LongSupplier nanoTime;
    private final AtomicBoolean failing = new AtomicBoolean();

    /**
     * @param proxies    Bucket4j's proxies over the shared store, refilling by the given time
     * @param where      the store, as an operator reads it in a log line ("Redis")
     * @param connection closed with this store
     */
    public SharedBucketStore(Function<TimeMeter, ProxyManager<byte[]>> proxies, String where,
            AutoCloseable connection) {
        this(proxies, where, connection, System::nanoTime);
    }

    SharedBucketStore(Function<TimeMeter, ProxyManager<byte[]>> proxies, String where, AutoCloseable connection,
            LongSupplier nanoTime) {
        this.proxies = proxies;
        this.where = where;
        this.connection = connection;
        this.nanoTime = nanoTime;
    }

    @Override
    public KeyedBuckets buckets(String name, long capacity, long refill, Duration period, Clock clock) {
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(refill, period).build()).build();
        // An empty bucket is full again after capacity/refill periods: a key spent from longer ago than that
        // cannot be empty, so this node need not ask.
        long refillNanos = (long) Math.ceil((double) capacity / refill * period.toNanos());
        return new Shared(proxies.apply(ClockTime.of(clock)), "ratelimit:" + name + ":", configuration, refillNanos);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception e) {
            log.warn("rate-limit connection to {} not closed cleanly: {}", where, e.toString());
        }
    }

    private final class Shared implements KeyedBuckets {
        private final ProxyManager<byte[]> bucketProxies;
        private final String prefix;
        private final BucketConfiguration configuration;
        private final long refillNanos;
        private final ConcurrentHashMap<String, Long> spentAt = new ConcurrentHashMap<>();

        Shared(ProxyManager<byte[]> bucketProxies, String prefix, BucketConfiguration configuration, long refillNanos) {
            this.bucketProxies = bucketProxies;
            this.prefix = prefix;
            this.configuration = configuration;
            this.refillNanos = refillNanos;
        }

        @Override
        public long take(String key) {
            try {
                ConsumptionProbe probe = bucket(key).tryConsumeAndReturnRemaining(1);
                answered();
                return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
            } catch (RuntimeException e) {
                unanswered(e);
                return 0;
            }
        }

        @Override
        public boolean isEmpty(String key) {
            Long spent = spentAt.get(key);
            if (spent == null || nanoTime.getAsLong() - spent > refillNanos) return false;
            try {
                boolean empty = bucket(key).getAvailableTokens() < 1;
                answered();
                return empty;
            } catch (RuntimeException e) {
                unanswered(e);
                return false;
            }
        }

        @Override
        public void spend(String key) {
            long now = nanoTime.getAsLong();
            if (spentAt.size() >= MAX_REMEMBERED_KEYS) spentAt.values().removeIf(at -> now - at > refillNanos);
            spentAt.put(key, now);
            try {
                bucket(key).tryConsume(1);
                answered();
            } catch (RuntimeException e) {
                unanswered(e);
            }
        }

        private BucketProxy bucket(String key) {
            return bucketProxies.builder().build((prefix + key).getBytes(StandardCharsets.UTF_8), configuration);
        }
    }

    private void answered() {
        if (failing.get() && failing.compareAndSet(true, false)) {
            log.info("rate limits are shared through {} again", where);
        }
    }

    private void unanswered(RuntimeException e) {
        if (failing.compareAndSet(false, true)) {
            log.atWarn().addKeyValue("error", e.toString())
                    .log("rate limits cannot reach {}: requests are allowed unlimited until it answers again", where);
        }
    }
}
