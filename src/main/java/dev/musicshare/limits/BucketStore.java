package dev.musicshare.limits;

import java.time.Clock;
import java.time.Duration;

/** Where a server's rate-limit buckets live: this node's memory, or a store that every node shares. */
public interface BucketStore extends AutoCloseable {

    /** Buckets kept in this node's memory: each node grants its own budget. */
    static BucketStore perNode() {
        return NodeBuckets::new;
    }

    /**
     * The buckets of one limit.
     *
     * @param name     the limit's name, unique per server ("starts", "misses", "sender"); keys of shared
     *                 buckets carry it
     * @param capacity tokens a full bucket holds (the burst)
     * @param refill   tokens added every {@code period}, evenly spread over it
     * @param clock    the time buckets refill by: the server's clock (tests stop or move it)
     */
    KeyedBuckets buckets(String name, long capacity, long refill, Duration period, Clock clock);

    /** Releases what the store holds (a Redis connection); per-node buckets hold nothing. */
    @Override
    default void close() {}
}
