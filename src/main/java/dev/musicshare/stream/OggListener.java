package dev.musicshare.stream;

import dev.musicshare.live.PushCodec;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.SessionObserver;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media player's {@code stream.ogg} connection: a bounded queue of shared page batches, written with the
 * servlet's non-blocking output ({@link WriteListener}). No thread is held per listener: a batch is written on the
 * thread that offers it when the socket takes it at once (the usual case), else Jetty calls
 * {@link #onWritePossible()} once the socket drains and the queue is written from there. Like Icecast's
 * {@code queue-size}, a listener whose queue outgrows its bound is disconnected: a live stream cannot wait for it,
 * and nobody else is slowed.
 *
 * <p>One monitor orders offers (the session's thread) and Jetty's callbacks; the servlet output is only used under
 * it, as the servlet API requires (one writer at a time). The response is completed outside it, and off the
 * session's thread, because completing runs the session's detach and Javalin's completion.
 *
 * <p>The bytes written go to the session's history as codec "opus" ({@link SessionObserver#audioSent}), in batches of
 * {@link #REPORT_EVERY_BYTES} and the rest when the listener ends: a report per page batch (every 20-100 ms per
 * listener) would cost a map update each on the writing thread, for a figure read after the session.
 */
final class OggListener implements WriteListener {
    private static final Logger log = LoggerFactory.getLogger(OggListener.class);
    /** Bytes written before they are reported to the session's history: about 20 s of a 24 kbit/s stream. */
    static final long REPORT_EVERY_BYTES = 64 * 1024;

    private final String sessionId;
    private final IcyMetadata icy;
    private final long maxQueuedBytes;
    private final ShareMetrics metrics;
    private final SessionId session;
    private final SessionObserver observer;
    private final Runnable abortConnection;
    private final Executor completions;
    private final ArrayDeque<PageBatch> queue = new ArrayDeque<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private HttpOutput out;
    private long queuedBytes;
    private boolean closed;
    /** Written, not yet reported to {@link #observer}. */
    private long unreportedBytes;

    /**
     * @param icy             in-band titles for a player that asked for them, else null (pure Ogg)
     * @param maxQueuedBytes  bytes waiting to be written before the listener is dropped as too slow
     * @param abortConnection closes the connection at once: a dropped listener's write may be pending on a socket
     *                        that its player will never read, and the response could not complete normally
     * @param completions     where the response is completed when the session's thread ends it
     * @param observer        told of the bytes written, for the session's history
     */
    OggListener(SessionId session, IcyMetadata icy, long maxQueuedBytes, ShareMetrics metrics,
            Runnable abortConnection, Executor completions, SessionObserver observer) {
        this.session = session;
        this.sessionId = session.value();
        this.observer = observer;
        this.icy = icy;
        this.maxQueuedBytes = maxQueuedBytes;
        this.metrics = metrics;
        this.abortConnection = abortConnection;
        this.completions = completions;
    }

    String sessionId() {
        return sessionId;
    }

    /**
     * Starts writing to {@code output}, which must belong to a response in async mode: what was queued before goes out
     * first.
     *
     * @return completes when the response is over (stream ended, listener dropped or gone)
     */
    CompletableFuture<Void> start(ServletOutputStream output) {
        if (!(output instanceof HttpOutput jetty)) {
            throw new IllegalStateException("stream.ogg needs Jetty's servlet output, got " + output.getClass());
        }
        synchronized (this) {
            if (!closed && out == null) {
                out = jetty;
                jetty.setWriteListener(this); // Jetty calls onWritePossible() next, which writes the queue
            }
        }
        return done;
    }

    /** Completes when the response is over (stream ended, listener dropped or gone). */
    CompletableFuture<Void> done() {
        return done;
    }

    /**
     * Queues pages; {@link #writeQueued()} writes them. Called under the session's lock, so it only queues: a
     * listener whose queue would outgrow its bound is dropped here.
     */
    void offer(PageBatch pages) {
        long dropped;
        synchronized (this) {
            if (closed) return;
            if (queuedBytes == 0 || queuedBytes + pages.length() <= maxQueuedBytes) { // one batch always fits
                queue.add(pages);
                queuedBytes += pages.length();
                return;
            }
            dropped = queuedBytes;
            endLocked();
        }
        log.atInfo().addKeyValue("sessionId", sessionId).addKeyValue("queuedBytes", dropped)
                .log("stream listener disconnected: too slow to keep up with the live stream");
        metrics.streamListenerDropped();
        abortConnection.run(); // fails a pending write; nothing else waits for this connection
        completeElsewhere();
    }

    /** Queues the end: once what is queued is written, the response completes. Called under the session's lock. */
    synchronized void finish() {
        if (!closed) queue.add(PageBatch.END);
    }

    /**
     * Writes what is queued as far as the socket takes it now, on the calling thread; Jetty's callback writes the
     * rest. Called by the session after it released its lock, so socket writes never hold it.
     */
    void writeQueued() {
        boolean ended;
        synchronized (this) {
            ended = pump();
        }
        if (ended) completeElsewhere();
    }

    /** Ends the response now, dropping what is queued. Called under the session's lock. */
    void close() {
        boolean ended;
        synchronized (this) {
            ended = endLocked();
        }
        if (ended) completeElsewhere();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public void onWritePossible() {
        boolean ended;
        synchronized (this) {
            ended = pump();
        }
        if (ended) done.complete(null); // a Jetty thread, holding none of our locks
    }

    @Override
    public void onError(Throwable failure) {
        boolean ended;
        synchronized (this) { // the player went away, or the connection was aborted
            ended = endLocked();
        }
        if (ended) done.complete(null);
    }

    /**
     * Completing the response runs its listeners (the session's detach, Javalin's completion), which take the
     * streams' and the session's locks: never on a thread that may hold the session's lock.
     */
    private void completeElsewhere() {
        completions.execute(() -> done.complete(null));
    }

    /** Marks the listener over; true if this call did it (the caller completes {@link #done}). */
    private boolean endLocked() {
        if (closed) return false;
        closed = true;
        queue.clear();
        queuedBytes = 0;
        reportSent();
        return true;
    }

    /**
     * Hands queued batches to the output while it is ready. A write the socket cannot take at once stays pending;
     * {@code isReady()} then answers false and Jetty calls {@link #onWritePossible()} when it completes. The end
     * marker ends the listener only once every write before it has completed.
     *
     * @return true if the listener ended here (the caller completes {@link #done}, outside this monitor)
     */
    private boolean pump() {
        if (out == null) return false; // the response is not in async mode yet: start() writes the queue
        try {
            while (!closed && !queue.isEmpty() && out.isReady()) {
                PageBatch next = queue.poll();
                if (next == PageBatch.END) return endLocked();
                queuedBytes -= next.length();
                write(next);
                metrics.streamBytesSent(next.length());
                unreportedBytes += next.length();
                if (unreportedBytes >= REPORT_EVERY_BYTES) reportSent();
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return endLocked(); // the player went away
        }
    }

    /** The Ogg bytes written (ICY blocks are not audio) since the last report go to the session's history. */
    private void reportSent() {
        if (unreportedBytes == 0) return;
        observer.audioSent(session, PushCodec.OPUS.wireName(), unreportedBytes);
        unreportedBytes = 0;
    }

    /**
     * Jetty's {@code write(ByteBuffer)} goes straight to the connection: an array write smaller than the output
     * aggregation size would sit in the response buffer until a flush, which in async mode is one more pending
     * operation per batch.
     */
    private void write(PageBatch pages) throws IOException {
        if (icy != null) {
            ByteArrayOutputStream withBlocks = new ByteArrayOutputStream(pages.length() + 64);
            icy.write(withBlocks, pages);
            out.write(ByteBuffer.wrap(withBlocks.toByteArray()));
        } else {
            out.write(pages.view()); // no copy: the batch's shared direct buffer goes to the socket as it is
        }
    }
}
