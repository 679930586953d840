package dev.musicshare.live;

import dev.musicshare.metrics.ShareMetrics;
import java.util.concurrent.Executor;

/**
 * What every push connection on a node shares.
 *
 * @param limits  bounds on each connection's queue, and the heartbeat interval
 * @param writers the threads that write to sockets
 * @param metrics where sent events are counted
 */
public record PushResources(LiveLimits limits, Executor writers, ShareMetrics metrics) {}
