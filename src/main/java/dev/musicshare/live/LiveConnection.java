package dev.musicshare.live;

import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.share.ListenerId;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.SessionObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push listener's connection (SSE or WebSocket): its outgoing queue ({@link PushQueue}: order, no repeats,
 * bounds, {@code gap} on overflow) drained by one writer task at a time, so a slow socket blocks only its own
 * writer; live events that arrive during catch-up are held until the backlog is queued.
 *
 * <p>An Opus connection ({@link PushCodec#OPUS}) takes only metadata, heartbeats and farewells from the hub: its
 * audio, gaps and end come from the session's encoder ({@link #offerEncoded}, {@link #finishEncoded}), in the
 * encoder's order. The hub's would run ahead of it: an {@code ended} from the hub would cut off the last frames.
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
    private final PushCodec codec;
    /** An Opus connection's {@code ended} from the hub, kept for when the encoder ends the stream. */
    private LiveEvent endedFromHub;
    /** Live events that arrive while the backlog is being read; released after it, in order. */
    private List<LiveEvent> heldDuringCatchUp = new ArrayList<>();
    /** An {@code ended} heard live during catch-up: queued after the backlog, which the listener must get first. */
    private LiveEvent endedDuringCatchUp;
    private boolean draining;
    private boolean closed;
    /** The close actions have started: one added later runs at once. */
    private boolean released;
    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();

    protected LiveConnection(String sessionId, ListenerId listenerId, long since, PushResources resources) {
        this(sessionId, listenerId, since, resources, PushCodec.PCM);
    }

    protected LiveConnection(String sessionId, ListenerId listenerId, long since, PushResources resources,
            PushCodec codec) {
        this(sessionId, listenerId, since, resources, codec, true);
    }

    /**
     * @param namesSkips whether a chunk that skips sequence numbers is preceded by a {@code gap} naming them
     *                   ({@link PushQueue}); false only for a consumer that fills holes itself (the Opus encoder's
     *                   feed, which turns them into silence)
     */
    protected LiveConnection(String sessionId, ListenerId listenerId, long since, PushResources resources,
            PushCodec codec, boolean namesSkips) {
        this.codec = codec;
        this.sessionId = sessionId;
        this.listenerId = listenerId;
        this.queue = new PushQueue(resources.limits(), since, namesSkips);
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

    public PushCodec codec() {
        return codec;
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

    /**
     * Runs {@code action} once the connection closes, whatever the reason; at once if it has closed already (it may
     * then run twice, so it must be harmless to repeat).
     */
    public void onClose(Runnable action) {
        boolean alreadyReleased;
        synchronized (this) {
            onClose.add(action);
            alreadyReleased = released;
        }
        if (alreadyReleased) action.run();
    }

    /** Queues a live event; during catch-up it is held until the backlog has been queued. */
    public void offer(LiveEvent event) {
        synchronized (this) {
            if (takesFromEncoder(event)) return;
            offerEncoded(event);
        }
    }

    /** Queues an event of the session's Opus encoder (an Opus connection's audio and gaps). */
    public void offerEncoded(LiveEvent event) {
        synchronized (this) {
            if (closed) return;
            // A heartbeat carries nothing to order: it goes out even while the store is waited for (a failover's
            // reconciliation may take seconds), so the listener and proxies see the stream alive.
            if (heldDuringCatchUp != null && !event.name().equals(LiveEvent.HEARTBEAT)) {
                heldDuringCatchUp.add(event);
                return;
            }
            enqueue(event);
        }
    }

    /** Ends catch-up: queues what was read from the store first, then what arrived meanwhile. */
    public void finishCatchUp(List<LiveEvent> backlog) {
        synchronized (this) {
            finishEncodedCatchUp(backlog.stream().filter(event -> !takesFromEncoder(event)).toList());
        }
    }

    /** Ends catch-up with a backlog that holds the encoder's events too (an Opus connection's first backlog). */
    public void finishEncodedCatchUp(List<LiveEvent> backlog) {
        synchronized (this) {
            if (closed) return;
            List<LiveEvent> held = heldDuringCatchUp == null ? List.of() : heldDuringCatchUp;
            heldDuringCatchUp = null;
            backlog.forEach(this::enqueue);
            held.forEach(this::enqueue);
            if (endedDuringCatchUp != null) {
                LiveEvent ended = endedDuringCatchUp;
                endedDuringCatchUp = null;
                finishEncoded(ended);
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
            if (takesFromEncoder(last)) {
                if (last.name().equals(LiveEvent.ENDED)) endedFromHub = last;
                return;
            }
            finishEncoded(last);
        }
    }

    /** The {@code ended} the hub delivered to an Opus connection (null if none): why the session's stream ends. */
    public synchronized LiveEvent endedFromHub() {
        return endedFromHub;
    }

    /** Sends what is queued, then {@code last} from the session's encoder (or a farewell), then closes. */
    public void finishEncoded(LiveEvent last) {
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
                finishEncodedCatchUp(List.of());
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
            synchronized (this) {
                released = true;
            }
            onClose.forEach(Runnable::run);
        }
    }

    public synchronized long queuedBytes() {
        return queue.bytes();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** True for what an Opus connection takes from its encoder and so ignores from the hub. */
    private boolean takesFromEncoder(LiveEvent event) {
        if (codec != PushCodec.OPUS) return false;
        return switch (event.name()) {
            case LiveEvent.AUDIO, LiveEvent.GAP, LiveEvent.ENDED -> true;
            default -> false;
        };
    }

    /** Bytes {@code event} took on the wire; a transport that sends another form (binary frames) says so. */
    protected int bytesOnWire(LiveEvent event) {
        return event.size();
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
                if (!countsAsListener()) continue; // the node's own consumer (the Opus encoder's feed): nothing sent
                int bytes = bytesOnWire(next);
                if (codec == PushCodec.OPUS) metrics.opusPushed(bytes);
                else metrics.pushed(bytes);
                if (next.isAudio()) {
                    metrics.audioDelivered(System.nanoTime() - next.createdNanos());
                    observer.audioSent(observedSession, codec.wireName(), bytes);
                }
            } catch (IOException | RuntimeException e) {
                close("write failed");
                return;
            }
        }
    }
}
