package dev.musicshare.live;

import dev.musicshare.share.CatchUp;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.ShareService;
import java.util.Collection;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a session's push connections on this node up to date from the store after their event feed was
 * interrupted: Redis pub/sub delivers nothing while a subscriber is disconnected (a killed connection, the pub/sub
 * output-buffer limit, a network blip, a failover), and says nothing about it. Each connection then gets the chunks
 * after its last one (or a {@code gap}), the latest metadata, and {@code ended} if the session stopped or expired
 * meanwhile.
 */
public final class LiveReconciler {
    private static final Logger log = LoggerFactory.getLogger(LiveReconciler.class);

    private final ShareService shares;
    private final Executor executor;

    /** @param executor where the store is read (never a Redis event-loop thread, which must not block) */
    public LiveReconciler(ShareService shares, Executor executor) {
        this.shares = shares;
        this.executor = executor;
    }

    /**
     * Reconciles {@code connections}, which already hold live events ({@link LiveConnection#holdLiveEvents}), so
     * that anything heard from now on is queued after what is read from the store.
     */
    void reconcile(String sessionId, Collection<LiveConnection> connections) {
        executor.execute(() -> run(new SessionId(sessionId), connections));
    }

    private void run(SessionId id, Collection<LiveConnection> connections) {
        long since = connections.stream().mapToLong(LiveConnection::lastQueuedSequence).min().orElse(-1);
        CatchUp catchUp;
        try {
            catchUp = shares.catchUp(id, since, null);
        } catch (RuntimeException e) {
            // Without the store the missed events cannot be told: the listeners resume by themselves, with since.
            log.atWarn().addKeyValue("sessionId", id).log("push listeners not reconciled, asked to reconnect: {}",
                    e.getMessage());
            LiveEvent reconnect = LiveEvent.reconnect("live events were interrupted");
            connections.forEach(connection -> connection.finish(reconnect));
            return;
        }
        for (LiveConnection connection : connections) {
            connection.finishCatchUp(CatchUpEvents.backlog(id, catchUp, connection.lastQueuedSequence()));
            CatchUpEvents.ending(catchUp).ifPresent(connection::finish);
        }
        log.atInfo().addKeyValue("sessionId", id).addKeyValue("connections", connections.size())
                .addKeyValue("state", catchUp.state()).log("push listeners reconciled after live events resumed");
    }
}
