package dev.musicshare.share;

import dev.musicshare.store.Released;
import dev.musicshare.store.ShareStore;
import dev.musicshare.store.StoredChunk;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upkeep that skips holes in a stream once their reorder window has passed, releasing the audio held behind
 * them. A release the store fails stays due and is tried again on the next tick; the failure is logged once per
 * session (with its id) until a release succeeds again, so a store outage does not leave audio held for good nor
 * flood the log every 50 ms.
 */
public final class HeldAudioRelease {
    private static final Logger log = LoggerFactory.getLogger(HeldAudioRelease.class);
    /** How often deadlines are checked: the granularity with which a hole is skipped after its window. */
    private static final long TICK_MILLIS = 50;

    private final ShareStore store;
    private final Clock clock;
    private final BiConsumer<SessionId, List<StoredChunk>> publisher;
    private final HoldTimers timers = new HoldTimers();
    private final Set<SessionId> failing = ConcurrentHashMap.newKeySet();

    HeldAudioRelease(ShareStore store, Clock clock, BiConsumer<SessionId, List<StoredChunk>> publisher) {
        this.store = store;
        this.clock = clock;
        this.publisher = publisher;
    }

    public void schedule(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(this::releaseDue, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Records when the session's held audio falls due (ms since the epoch; 0: nothing held). */
    void holdUntil(SessionId id, long holdUntil) {
        timers.schedule(id, holdUntil);
    }

    /** Releases the audio of every session whose hold has run out and pushes it; never throws. */
    public void releaseDue() {
        long now = clock.millis();
        for (SessionId id : timers.due(now)) {
            try {
                Released released = store.releaseDue(id.value(), now);
                publisher.accept(id, released.chunks());
                timers.schedule(id, released.holdUntil());
                if (failing.remove(id)) log.atInfo().addKeyValue("sessionId", id).log("held audio released again");
            } catch (RuntimeException e) {
                if (failing.add(id)) {
                    log.atWarn().addKeyValue("sessionId", id).addKeyValue("cause", e.getMessage())
                            .log("held audio not released; retrying every tick");
                }
            }
        }
    }
}
