package dev.musicshare.store;

import java.time.Duration;

/**
 * What the store contracts share: the store under test, created by the subclass for its kind, and the time the
 * contract passes to it, which a test moves with {@link #advance}. Each contract runs on every store by one subclass
 * per kind, which says only how to open that store and whether it keeps real time.
 */
public abstract class StoreContract {
    protected ShareStore store;
    protected long now = 1_800_000_000_000L;

    protected abstract ShareStore createStore(StoreSettings settings);

    /**
     * Whether the store keeps real time for its TTLs, as Redis does; such a store's contract runs with short lifetimes,
     * and moving the time also waits that long. The memory store takes {@code now} alone: true by default, as every
     * store but that one is a Redis.
     */
    protected boolean keepsRealTime() {
        return true;
    }

    /** Moves time forward (a real wait where the store keeps real time). */
    protected void advance(Duration duration) {
        now += duration.toMillis();
        if (!keepsRealTime()) return;
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
