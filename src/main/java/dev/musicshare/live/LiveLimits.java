package dev.musicshare.live;

import java.time.Duration;

/**
 * Bounds on each push connection.
 *
 * @param maxQueuedEvents   events waiting to be written before the listener is skipped ahead
 * @param maxQueuedBytes    bytes waiting to be written before the listener is skipped ahead
 * @param maxOverflows      skips ahead tolerated before the listener is disconnected as too slow
 * @param heartbeatInterval how often an idle stream gets a heartbeat (keeps proxies open, finds dead peers)
 */
public record LiveLimits(int maxQueuedEvents, long maxQueuedBytes, int maxOverflows, Duration heartbeatInterval) {
    /** ~64 events: several seconds of 100 ms chunks; 8 MB: well above 5 s of 0.5 s stereo chunks (≈ 2.4 MB). */
    public static LiveLimits defaults() {
        return new LiveLimits(64, 8L * 1024 * 1024, 5, Duration.ofSeconds(15));
    }
}
