package dev.musicshare.live;

import io.javalin.http.Context;
import dev.musicshare.share.ListenerId;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** A Server-Sent Events stream: the request is held open (asynchronously) and frames are written as they come. */
final class SseConnection extends LiveConnection {
    private final OutputStream out;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    SseConnection(Context ctx, String sessionId, ListenerId listenerId, long since, PushResources resources,
            PushCodec codec) throws IOException {
        super(sessionId, listenerId, since, resources, codec);
        ctx.status(200);
        ctx.res().setContentType("text/event-stream; charset=utf-8");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no"); // nginx would otherwise buffer the stream
        this.out = ctx.res().getOutputStream();
        out.write(": connected\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
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
