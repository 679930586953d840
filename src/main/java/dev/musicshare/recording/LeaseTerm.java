package dev.musicshare.recording;

import dev.musicshare.lease.RecordingLeases;
import java.util.function.BooleanSupplier;

/**
 * How long this node is sure a recording lease is its own: until {@link RecordingLeases#LEASE_TIME} after it
 * <em>sent</em> the request that took or last renewed it (Redis counts the lease from when the request arrived, which
 * is later), less a safety margin for a write already under way and for clocks that run at slightly different
 * rates. A node taking over can only get the lease once it ran out in Redis, so by then this node has stopped
 * writing. Read by the writer thread before each write; set by the lease keeper.
 */
final class LeaseTerm implements BooleanSupplier {
    /** Room for a write begun just before the term ends, and for clock-rate differences (Redis's and ours). */
    static final long SAFETY_NANOS = 1_000_000_000L;

    private volatile long sureUntilNanos;
    private volatile boolean lost;

    /** @param askedAtNanos {@link System#nanoTime()} when the request that took the lease was sent */
    LeaseTerm(long askedAtNanos) {
        renewed(askedAtNanos);
    }

    void renewed(long askedAtNanos) {
        sureUntilNanos = askedAtNanos + RecordingLeases.LEASE_TIME.toNanos() - SAFETY_NANOS;
    }

    /** Redis says the lease is no longer this node's. */
    void lost() {
        lost = true;
    }

    /** Whether the lease is surely still this node's now. */
    @Override
    public boolean getAsBoolean() {
        return !lost && System.nanoTime() - sureUntilNanos < 0;
    }
}
