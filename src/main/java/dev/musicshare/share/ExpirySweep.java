package dev.musicshare.share;

import dev.musicshare.store.StoreUnavailableException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upkeep that ends sessions idle past the timeout. Expiry itself is exact (every read checks the deadline);
 * the sweep only decides when an expiry is announced to listeners. A store outage pauses it, logged once.
 */
public final class ExpirySweep {
    private static final Logger log = LoggerFactory.getLogger(ExpirySweep.class);
    private static final long INTERVAL_MILLIS = 1_000;

    private final ShareService shares;
    private volatile boolean failing;

    public ExpirySweep(ShareService shares) {
        this.shares = shares;
    }

    public void schedule(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(this::sweep, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** One pass; never throws, so the schedule keeps running. */
    public void sweep() {
        try {
            shares.expireIdleSessions();
            if (failing) log.info("expiry sweep recovered: the store answers again");
            failing = false;
        } catch (StoreUnavailableException e) {
            if (!failing) log.warn("expiry sweep paused: {}", e.getMessage());
            failing = true;
        } catch (RuntimeException e) {
            log.error("expiry sweep failed", e);
        }
    }
}
