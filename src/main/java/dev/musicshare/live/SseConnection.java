package dev.musicshare.live;

import dev.musicshare.share.ListenerId;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A Server-Sent Events stream: the request is held open (asynchronously) and frames are written as they come. The
 * response starts at {@link #open}, once the session is known to exist, so a session that is gone still gets a 404.
 */
final class SseConnection extends LiveConnection {
    private final Context ctx;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Set by {@link #open}; used by the connection's writer task, which runs only after the catch-up. */
    private volatile OutputStream out;

    SseConnection(Context ctx, String sessionId, ListenerId listenerId, long since, PushResources resources,
            PushCodec codec) {
        super(sessionId, listenerId, since, resources, codec);
        this.ctx = ctx;
    }

    /** Starts the event stream (status, headers, a first comment); before any event is queued. */
    void open() throws IOException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream; charset=utf-8");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no"); // nginx would otherwise buffer the stream
        OutputStream stream = ctx.res().getOutputStream();
        stream.write(": connected\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        stream.flush();
        out = stream;
    }

    /** Completes when the stream is over; Javalin holds the request open until then. */
    CompletableFuture<Void> done() {
        return done;
    }

    @Override
    protected void write(LiveEvent event) throws IOException {
        out.write(event.sseFrame());
        out.flush();
    }

    @Override
    protected void closeTransport(String reason) {
        done.complete(null);
    }
}
