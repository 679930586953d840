package dev.musicshare.live;

import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.share.ListenerId;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push listener's connection (SSE or WebSocket) with a bounded outgoing queue, drained by one writer task at a
 * time so a slow socket blocks only its own writer. When the queue overflows, the queued audio is dropped and the
 * listener is told with a {@code gap} event, then continues live; a listener that overflows again and again is
 * disconnected. Audio is delivered in sequence order without duplicates: anything at or below the last sequence
 * number queued is skipped, which is also what makes the seam between backlog and live stream exact.
 */
public abstract class LiveConnection {
    private static final Logger log = LoggerFactory.getLogger(LiveConnection.class);

    private final String sessionId;
    private final ListenerId listenerId;
    private final LiveLimits limits;
    private final Executor writers;
    private final ShareMetrics metrics;
    private final ArrayDeque<LiveEvent> queue = new ArrayDeque<>();
    /** Live events that arrive while the backlog is being read; released after it, in order. */
    private List<LiveEvent> heldDuringCatchUp = new ArrayList<>();
    private long queuedBytes;
    private long lastQueuedSequence;
    /** The metadata last queued: the same again (read at the catch-up seam and also heard live) tells nothing new. */
    private byte[] lastQueuedMetadata;
    private int overflows;
    private boolean draining;
    private boolean closed;
    private Runnable onClose = () -> {};

    protected LiveConnection(String sessionId, ListenerId listenerId, long since, PushResources resources) {
        this.sessionId = sessionId;
        this.listenerId = listenerId;
        this.lastQueuedSequence = since;
        this.limits = resources.limits();
        this.writers = resources.writers();
        this.metrics = resources.metrics();
    }

    public String sessionId() {
        return sessionId;
    }

    /** Who is listening, for the listener count across nodes. */
    public ListenerId listenerId() {
        return listenerId;
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
            List<LiveEvent> held = heldDuringCatchUp;
            heldDuringCatchUp = null;
            backlog.forEach(this::enqueue);
            held.forEach(this::enqueue);
        }
    }

    /** Sends what is queued, then closes with {@code reason}. */
    public void finish(LiveEvent last) {
        synchronized (this) {
            if (closed) return;
            if (heldDuringCatchUp != null) finishCatchUp(List.of());
            enqueue(last);
            queue.add(CLOSE);
            scheduleDrain();
        }
    }

    public void close(String reason) {
        synchronized (this) {
            if (closed) return;
            closed = true;
            queue.clear();
            queuedBytes = 0;
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
        return queuedBytes;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    private void enqueue(LiveEvent event) {
        if (event.isAudio()) {
            if (event.sequenceNumber() <= lastQueuedSequence) return;
            lastQueuedSequence = event.sequenceNumber();
        } else if (event.name().equals(LiveEvent.METADATA)) {
            if (Arrays.equals(event.json(), lastQueuedMetadata)) return;
            lastQueuedMetadata = event.json();
        }
        if (queue.size() >= limits.maxQueuedEvents() || queuedBytes + event.size() > limits.maxQueuedBytes()) {
            if (!skipAhead(event)) return;
        }
        queue.add(event);
        queuedBytes += event.size();
        scheduleDrain();
    }

    /** Drops the queued audio for a gap event; false when the listener is disconnected instead. */
    private boolean skipAhead(LiveEvent incoming) {
        if (++overflows > limits.maxOverflows()) {
            log.atInfo().addKeyValue("sessionId", sessionId).log("push listener disconnected: too slow");
            closed = true;
            queue.clear();
            queuedBytes = 0;
            writers.execute(() -> release("listener too slow: fell behind the stream repeatedly"));
            return false;
        }
        long from = -1;
        long to = -1;
        for (Iterator<LiveEvent> it = queue.iterator(); it.hasNext(); ) {
            LiveEvent queued = it.next();
            if (!queued.isAudio()) continue;
            if (from < 0) from = queued.sequenceNumber();
            to = queued.sequenceNumber();
            queuedBytes -= queued.size();
            it.remove();
        }
        if (from < 0) from = to = incoming.isAudio() ? incoming.sequenceNumber() - 1 : lastQueuedSequence;
        LiveEvent gap = LiveEvent.gap(from, to);
        queue.add(gap);
        queuedBytes += gap.size();
        return true;
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
                next = queue.poll();
                if (next == null || closed) {
                    draining = false;
                    return;
                }
                if (next != CLOSE) queuedBytes -= next.size();
            }
            if (next == CLOSE) {
                close("stream finished");
                return;
            }
            try {
                write(next);
                metrics.pushed(next.size());
                if (next.isAudio()) metrics.audioDelivered(System.nanoTime() - next.createdNanos());
            } catch (IOException | RuntimeException e) {
                close("write failed");
                return;
            }
        }
    }

    /** Marks the end of the stream in the queue. */
    private static final LiveEvent CLOSE = LiveEvent.of("close", new byte[0]);
}
