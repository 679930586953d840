package dev.musicshare.stream;

import dev.musicshare.metrics.ShareMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media player's {@code stream.ogg} connection: a bounded queue of shared page arrays, drained by one writer
 * task at a time, so a slow socket blocks only its own writer. Like Icecast's {@code queue-size}, a listener whose
 * queue outgrows its bound is disconnected: a live stream cannot wait for it, and nobody else is slowed.
 */
final class OggListener {
    private static final Logger log = LoggerFactory.getLogger(OggListener.class);
    private static final byte[] END = new byte[0];

    private final String sessionId;
    private final OutputStream out;
    private final IcyMetadata icy;
    private final Executor writers;
    private final long maxQueuedBytes;
    private final ShareMetrics metrics;
    private final Runnable abortConnection;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private long queuedBytes;
    private boolean draining;
    private boolean closed;

    /**
     * @param icy            in-band titles for a player that asked for them, else null (pure Ogg)
     * @param maxQueuedBytes  bytes waiting to be written before the listener is dropped as too slow
     * @param abortConnection closes the connection at once: a dropped listener's writer may be stuck in a write
     *                        that its player will never read, and the response could not complete normally
     */
    OggListener(String sessionId, OutputStream out, IcyMetadata icy, Executor writers, long maxQueuedBytes,
            ShareMetrics metrics, Runnable abortConnection) {
        this.sessionId = sessionId;
        this.out = out;
        this.icy = icy;
        this.writers = writers;
        this.maxQueuedBytes = maxQueuedBytes;
        this.metrics = metrics;
        this.abortConnection = abortConnection;
    }

    String sessionId() {
        return sessionId;
    }

    /** Completes when the response is over (stream ended, listener dropped or gone). */
    CompletableFuture<Void> done() {
        return done;
    }

    /** The next title, for a listener that reads ICY metadata. */
    void title(String title) {
        if (icy != null) icy.title(title);
    }

    /** Queues pages; never blocks. */
    synchronized void offer(byte[] pages) {
        if (closed) return;
        if (queuedBytes > 0 && queuedBytes + pages.length > maxQueuedBytes) { // one batch always fits
            log.atInfo().addKeyValue("sessionId", sessionId).addKeyValue("queuedBytes", queuedBytes)
                    .log("stream listener disconnected: too slow to keep up with the live stream");
            metrics.streamListenerDropped();
            closed = true;
            queue.clear();
            queuedBytes = 0;
            writers.execute(() -> {
                abortConnection.run();
                done.complete(null);
            });
            return;
        }
        queue.add(pages);
        queuedBytes += pages.length;
        scheduleDrain();
    }

    /** Writes what is queued, then completes the response. */
    synchronized void finish() {
        if (closed) return;
        queue.add(END);
        scheduleDrain();
    }

    /** Ends the response now, dropping what is queued. */
    void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
            queue.clear();
            queuedBytes = 0;
        }
        done.complete(null);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private void scheduleDrain() {
        if (draining) return;
        draining = true;
        writers.execute(this::drain);
    }

    /**
     * Writes everything queued, then flushes once: one flush per batch, not per page. Socket calls happen outside
     * the lock, so offering to a listener whose socket is stuck never blocks the session.
     */
    private void drain() {
        boolean unflushed = false;
        while (true) {
            byte[] next;
            synchronized (this) {
                if (closed) {
                    draining = false;
                    return;
                }
                next = queue.poll();
                if (next == null && !unflushed) {
                    draining = false;
                    return;
                }
                if (next != null && next != END) queuedBytes -= next.length;
            }
            try {
                if (next == null || next == END) {
                    out.flush();
                    unflushed = false;
                    if (next == END) {
                        close();
                        return;
                    }
                    continue;
                }
                if (icy != null) icy.write(out, next);
                else out.write(next);
                unflushed = true;
                metrics.streamBytesSent(next.length);
            } catch (IOException | RuntimeException e) {
                close(); // the player went away
                return;
            }
        }
    }

}
