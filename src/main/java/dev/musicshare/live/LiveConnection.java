package dev.musicshare.live;

import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.share.ListenerId;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.SessionObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push listener's connection (SSE or WebSocket): its outgoing queue ({@link PushQueue}: order, no repeats,
 * bounds, {@code gap} on overflow) drained by one writer task at a time, so a slow socket blocks only its own
 * writer; live events that arrive during catch-up are held until the backlog is queued.
 */
public abstract class LiveConnection {
    private static final Logger log = LoggerFactory.getLogger(LiveConnection.class);

    private final String sessionId;
    private final ListenerId listenerId;
    private final Executor writers;
    private final ShareMetrics metrics;
    private final PushQueue queue;
    private final SessionObserver observer;
    private final SessionId observedSession;
    /** Live events that arrive while the backlog is being read; released after it, in order. */
    private List<LiveEvent> heldDuringCatchUp = new ArrayList<>();
    /** An {@code ended} heard live during catch-up: queued after the backlog, which the listener must get first. */
    private LiveEvent endedDuringCatchUp;
    private boolean draining;
    private boolean closed;
    private Runnable onClose = () -> {};

    protected LiveConnection(String sessionId, ListenerId listenerId, long since, PushResources resources) {
        this.sessionId = sessionId;
        this.listenerId = listenerId;
        this.queue = new PushQueue(resources.limits(), since);
        this.writers = resources.writers();
        this.metrics = resources.metrics();
        this.observer = resources.observer();
        this.observedSession = new SessionId(sessionId);
    }

    public String sessionId() {
        return sessionId;
    }

    /** Who is listening, for the listener count across nodes. */
    public ListenerId listenerId() {
        return listenerId;
    }

    /**
     * Whether this connection is a person listening (counted in the session's listeners); false for a node's own
     * consumers of the event stream, such as the Opus encoder's feed.
     */
    public boolean countsAsListener() {
        return true;
    }

    /** Writes one event to the socket, blocking until it is handed to the network. */
    protected abstract void write(LiveEvent event) throws IOException;

    /** Closes the socket; {@code reason} is shown to the listener where the transport can carry it. */
    protected abstract void closeTransport(String reason);

    void onClose(Runnable action) {
        this.onClose = action;
    }

    /** Queues a live event; during catch-up it is held until the backlog has been queued. */
    public void offer(LiveEvent event) {
        synchronized (this) {
            if (closed) return;
            if (heldDuringCatchUp != null) {
                heldDuringCatchUp.add(event);
                return;
            }
            enqueue(event);
        }
    }

    /** Ends catch-up: queues what was read from the store first, then what arrived meanwhile. */
    public void finishCatchUp(List<LiveEvent> backlog) {
        synchronized (this) {
            if (closed) return;
            List<LiveEvent> held = heldDuringCatchUp == null ? List.of() : heldDuringCatchUp;
            heldDuringCatchUp = null;
            backlog.forEach(this::enqueue);
            held.forEach(this::enqueue);
            if (endedDuringCatchUp != null) {
                LiveEvent ended = endedDuringCatchUp;
                endedDuringCatchUp = null;
                finish(ended);
            }
        }
    }

    /**
     * Holds live events again until {@link #finishCatchUp}: the node's event feed was interrupted (a Redis pub/sub
     * drop) and what was missed is being read from the store, to be queued before anything heard since.
     */
    public void holdLiveEvents() {
        synchronized (this) {
            if (!closed && heldDuringCatchUp == null) heldDuringCatchUp = new ArrayList<>();
        }
    }

    /** The sequence number of the last audio queued (or the {@code since} it connected with): where it resumes. */
    public synchronized long lastQueuedSequence() {
        return queue.lastSequence();
    }

    /** Sends what is queued, then closes with {@code reason}. */
    public void finish(LiveEvent last) {
        synchronized (this) {
            if (closed) return;
            if (heldDuringCatchUp != null) {
                // The session ended while what was missed is still being read from the store: the backlog comes
                // first (a pub/sub drop's chunks and metadata), then the end. Other endings (reconnect, shutdown)
                // need no backlog: the listener comes back with since.
                if (last.name().equals(LiveEvent.ENDED)) {
                    endedDuringCatchUp = last;
                    return;
                }
                finishCatchUp(List.of());
            }
            enqueue(last);
            queue.end();
            scheduleDrain();
        }
    }

    public void close(String reason) {
        synchronized (this) {
            if (closed) return;
            closed = true;
            queue.clear();
        }
        release(reason);
    }

    /** Closes the socket and leaves the hub; called once, after {@code closed} was set. */
    private void release(String reason) {
        try {
            closeTransport(reason);
        } finally {
            onClose.run();
        }
    }

    public synchronized long queuedBytes() {
        return queue.bytes();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    private void enqueue(LiveEvent event) {
        switch (queue.offer(event)) {
            case QUEUED -> scheduleDrain();
            case LEFT_OUT -> { }
            case TOO_SLOW -> {
                log.atInfo().addKeyValue("sessionId", sessionId).log("push listener disconnected: too slow");
                closed = true;
                writers.execute(() -> release("listener too slow: fell behind the stream repeatedly"));
            }
        }
    }

    private void scheduleDrain() {
        if (draining) return;
        draining = true;
        writers.execute(this::drain);
    }

    private void drain() {
        while (true) {
            LiveEvent next;
            synchronized (this) {
                next = closed ? null : queue.poll();
                if (next == null) {
                    draining = false;
                    if (closed || !queue.drainedToEnd()) return;
                }
            }
            if (next == null) {
                close("stream finished");
                return;
            }
            try {
                write(next);
                metrics.pushed(next.size());
                if (next.isAudio()) {
                    metrics.audioDelivered(System.nanoTime() - next.createdNanos());
                    observer.audioSent(observedSession, SessionObserver.CODEC_PCM, next.size());
                }
            } catch (IOException | RuntimeException e) {
                close("write failed");
                return;
            }
        }
    }
}
