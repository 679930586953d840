package dev.musicshare.live;

import java.time.Duration;

/**
 * Bounds on each push connection. The values come from the settings ({@code PUSH_*}); their defaults live there.
 *
 * @param maxQueuedEvents   events waiting to be written before the listener is skipped ahead
 * @param maxQueuedBytes    bytes waiting to be written before the listener is skipped ahead
 * @param maxOverflows      skips ahead tolerated before the listener is disconnected as too slow
 * @param heartbeatInterval how often an idle stream gets a heartbeat (keeps proxies open, finds dead peers)
 */
public record LiveLimits(int maxQueuedEvents, long maxQueuedBytes, int maxOverflows, Duration heartbeatInterval) {
    public LiveLimits {
        if (maxQueuedEvents < 1) {
            throw new IllegalArgumentException("maxQueuedEvents must be at least 1, was " + maxQueuedEvents);
        }
        if (maxQueuedBytes < 1) {
            throw new IllegalArgumentException("maxQueuedBytes must be at least 1, was " + maxQueuedBytes);
        }
        if (maxOverflows < 0) throw new IllegalArgumentException("maxOverflows must not be negative, was " + maxOverflows);
        if (heartbeatInterval == null || heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval must be positive, was " + heartbeatInterval);
        }
    }
}
