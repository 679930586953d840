package dev.musicshare.redis;

import java.time.Duration;

/**
 * How many replicas must hold a write that acknowledges audio (or starts or stops a session) before the sender is
 * answered: Redis's {@code WAIT replicas timeout}, issued after the write on the connection that made it (WAIT
 * counts the calling client's own writes). Redis replicates asynchronously, so without it a chunk acknowledged just
 * before the master dies can be missing on the replica the sentinels promote.
 *
 * @param replicas how many replicas must acknowledge ({@code REDIS_WAIT_REPLICAS}); 0: none, WAIT is never sent
 * @param timeout  how long WAIT may block ({@code REDIS_WAIT_TIMEOUT_MS}); fewer acknowledgements by then answer
 *                 503 (the write stays on the master, and the sender's retry of it is harmless)
 */
public record ReplicaWait(int replicas, Duration timeout) {
    /** Acknowledge as soon as the master has the write: Redis's own asynchronous replication. */
    public static final ReplicaWait NONE = new ReplicaWait(0, Duration.ofSeconds(1));

    public ReplicaWait {
        if (replicas < 0) throw new IllegalArgumentException("replicas must not be negative, was " + replicas);
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /** True when writes wait for replicas at all. */
    public boolean enabled() {
        return replicas > 0;
    }
}
