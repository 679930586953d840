package dev.musicshare.live;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;

/**
 * This node's push connections by session, and the fan-out to them: one event object, the same bytes, every
 * connection's queue. Offering never blocks, so a publisher is never held up by a listener.
 */
public final class LiveHub {
    private final ConcurrentHashMap<String, Set<LiveConnection>> bySession = new ConcurrentHashMap<>();
    private final SessionWatcher watcher;
    private volatile LiveReconciler reconciler;

    /** A hub fed in-process only (one node). */
    public LiveHub() {
        this(SessionWatcher.IN_PROCESS);
    }

    public LiveHub(SessionWatcher watcher) {
        this.watcher = watcher;
    }

    /**
     * Adds a connection and returns once events for its session reach this node, so that what the connection reads
     * from the store next cannot miss an event published meanwhile.
     */
    public void join(LiveConnection connection) {
        String id = connection.sessionId();
        CompletableFuture<?>[] watched = new CompletableFuture<?>[1];
        bySession.compute(id, (key, set) -> {
            if (set == null) set = ConcurrentHashMap.newKeySet();
            set.add(connection);
            watched[0] = watcher.watch(id); // under the map's lock: ordered with unwatch below
            return set;
        });
        connection.onClose(() -> leave(connection));
        watcher.awaitWatching(watched[0]);
    }

    /** Who brings connections up to date when their session's events resume after an interruption. */
    public void reconcileWith(LiveReconciler reconciler) {
        this.reconciler = reconciler;
    }

    /**
     * The session's events reach this node again after an interruption in which some may have been lost: its
     * connections hold what arrives from now on until the store has told them what they missed. Must not block
     * (called on the event feed's thread).
     */
    public void resumed(String sessionId) {
        Set<LiveConnection> connections = connections(sessionId);
        LiveReconciler target = reconciler;
        if (connections.isEmpty() || target == null) return;
        connections.forEach(LiveConnection::holdLiveEvents);
        target.reconcile(sessionId, connections);
    }

    public void leave(LiveConnection connection) {
        bySession.computeIfPresent(connection.sessionId(), (key, set) -> {
            set.remove(connection);
            if (!set.isEmpty()) return set;
            watcher.unwatch(key);
            return null;
        });
    }

    /** Hands {@code event} to every connection listening to {@code sessionId} on this node. */
    public void deliver(String sessionId, LiveEvent event) {
        Set<LiveConnection> connections = bySession.get(sessionId);
        if (connections == null) return;
        if (event.name().equals(LiveEvent.ENDED)) {
            connections.forEach(connection -> connection.finish(event));
        } else {
            connections.forEach(connection -> connection.offer(event));
        }
    }

    /** Offers {@code event} to every connection on this node (heartbeats, shutdown notices). */
    public void deliverToAll(LiveEvent event) {
        bySession.keySet().forEach(id -> deliver(id, event));
    }

    public Set<String> watchedSessions() {
        return Set.copyOf(bySession.keySet());
    }

    /** The connections listening to {@code sessionId} on this node. */
    public Set<LiveConnection> connections(String sessionId) {
        Set<LiveConnection> connections = bySession.get(sessionId);
        return connections == null ? Set.of() : Set.copyOf(connections);
    }

    /**
     * Finishes every connection on this node with {@code farewell} (written after what each has queued) and waits
     * up to {@code patience} for them to close; used when the node stops.
     */
    public void finishAll(LiveEvent farewell, Duration patience) {
        for (Set<LiveConnection> connections : bySession.values()) {
            connections.forEach(connection -> connection.finish(farewell));
        }
        long deadline = System.nanoTime() + patience.toNanos();
        while (connectionCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public int connectionCount() {
        return bySession.values().stream().mapToInt(Set::size).sum();
    }
}
