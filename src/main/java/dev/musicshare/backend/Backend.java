package dev.musicshare.backend;

import dev.musicshare.limits.BucketStore;
import dev.musicshare.live.LiveHub;
import dev.musicshare.live.SessionWatcher;
import dev.musicshare.lease.RecordingLeases;
import dev.musicshare.share.ShareEvents;
import dev.musicshare.store.ShareStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a server keeps its sessions and how their events reach push listeners, opened together by
 * {@link Backends#open}: the store, the events the domain announces, what makes a session's events reach this node
 * while it has listeners ({@code watcher}), and the node's hub those events are delivered to.
 *
 * @param store     sessions, metadata, audio and presence
 * @param events    where the domain announces changes (in-process, or Redis pub/sub across nodes)
 * @param watcher   subscribes this node to a session's events while it has listeners for it
 * @param hub       this node's push connections, fed by {@code events}
 * @param eventFeed what carries the events between nodes, closed before the store (nothing in one process)
 * @param rateLimits where the rate limits' buckets live: the node's own, or in Redis shared by every node
 * @param recordingLeases which node records a session: this one (memory), or the holder of its lease in Redis
 */
public record Backend(ShareStore store, ShareEvents events, SessionWatcher watcher, LiveHub hub,
        AutoCloseable eventFeed, BucketStore rateLimits, RecordingLeases recordingLeases) implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Backend.class);

    /** "memory" or "redis", for logs and health. */
    public String kind() {
        return store.kind();
    }

    /**
     * Closes the event feed, the rate limits, the recording leases, then the store; a failure of one does not keep
     * the next open.
     */
    @Override
    public void close() {
        try {
            recordingLeases.close();
        } catch (RuntimeException e) {
            log.warn("recording leases not closed cleanly: {}", e.getMessage());
        }
        try {
            eventFeed.close();
        } catch (Exception e) {
            log.warn("live events not closed cleanly: {}", e.getMessage());
        } finally {
            try {
                rateLimits.close();
            } finally {
                store.close();
            }
        }
    }
}
