package dev.musicshare.live;

import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.share.SessionObserver;
import java.util.concurrent.Executor;

/**
 * What every push connection on a node shares.
 *
 * @param limits   bounds on each connection's queue, and the heartbeat interval
 * @param writers  the threads that write to sockets
 * @param metrics  where sent events are counted
 * @param observer told of the audio bytes each session's push listeners were sent (session history)
 */
public record PushResources(LiveLimits limits, Executor writers, ShareMetrics metrics, SessionObserver observer) {
    public PushResources(LiveLimits limits, Executor writers, ShareMetrics metrics) {
        this(limits, writers, metrics, SessionObserver.NONE);
    }
}
