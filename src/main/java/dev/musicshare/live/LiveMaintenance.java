package dev.musicshare.live;

import dev.musicshare.share.ListenerId;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.ShareService;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic upkeep of push connections: heartbeats (proxies keep idle streams open; a dead peer fails a write and is
 * dropped) and presence (each connected listener is recorded in the store, so every node counts it).
 */
public final class LiveMaintenance {
    private static final Logger log = LoggerFactory.getLogger(LiveMaintenance.class);
    /** Well inside the listener window (15 s), so a connected listener never drops out of the count. */
    private static final long PRESENCE_INTERVAL_MILLIS = 5_000;

    private final LiveHub hub;
    private final ShareService shares;
    /** Sessions whose last presence write failed: logged once until one succeeds. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    public LiveMaintenance(LiveHub hub, ShareService shares) {
        this.hub = hub;
        this.shares = shares;
    }

    public void schedule(ScheduledExecutorService scheduler, LiveLimits limits) {
        long heartbeat = limits.heartbeatInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> hub.deliverToAll(LiveEvent.heartbeat()), heartbeat, heartbeat,
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::recordPresence, PRESENCE_INTERVAL_MILLIS, PRESENCE_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Records every connected listener now. A session the store fails is logged (once per outage, with its id) and
     * the others are still recorded; it is tried again on the next pass.
     */
    public void recordPresence() {
        for (String sessionId : hub.watchedSessions()) {
            List<ListenerId> listeners = hub.connections(sessionId).stream()
                    .filter(LiveConnection::countsAsListener).map(LiveConnection::listenerId).toList();
            try {
                shares.recordListening(new SessionId(sessionId), listeners);
                if (failing.remove(sessionId)) {
                    log.atInfo().addKeyValue("sessionId", sessionId).log("listener presence recorded again");
                }
            } catch (RuntimeException e) {
                if (failing.add(sessionId)) {
                    log.atWarn().addKeyValue("sessionId", sessionId).addKeyValue("cause", e.getMessage())
                            .log("listener presence not recorded; connected listeners may drop out of the count");
                }
            }
        }
        failing.retainAll(hub.watchedSessions());
    }
}
