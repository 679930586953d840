package dev.musicshare.stream;

import dev.musicshare.share.ListenerId;
import dev.musicshare.share.ListenerTokens;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.SessionIdentity;
import dev.musicshare.share.SessionStatus;
import dev.musicshare.share.ShareException;
import dev.musicshare.share.ShareService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.net.StandardSocketOptions;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.SocketChannelEndPoint;

/**
 * The stream any media player can play: {@code GET /api/share/{id}/stream.ogg}, an endless Ogg Opus stream
 * (RFC 7845) of the session, and {@code GET /api/share/{id}/stream.m3u}, a one-line playlist pointing at it.
 * HTTP/1.1 clients get it chunked, HTTP/1.0 clients close-delimited; {@code HEAD} answers the headers only. A
 * {@code Range} request (browsers send {@code bytes=0-}) gets the whole live stream with 200, since a live stream
 * has no other byte ranges. Players that send {@code Icy-MetaData: 1} get {@code StreamTitle} blocks every
 * {@code icy-metaint} bytes; {@code ?chained=true} starts a new chained stream with TITLE/ARTIST tags at each
 * change instead.
 *
 * <pre>
 * curl -N "localhost:5000/api/share/123456/stream.ogg?access_token=$TOKEN" | ffplay -
 * mpv "http://localhost:5000/api/share/123456/stream.m3u?access_token=$TOKEN"
 * </pre>
 */
public final class StreamRoutes {
    private static final int SEND_BUFFER_BYTES = 64 * 1024;
    private final ShareService shares;
    private final OpusStreams streams;
    private final ListenerTokens listenerTokens;

    /** @param listenerTokens issues the read-only token a playlist carries (never the shared token) */
    public StreamRoutes(ShareService shares, OpusStreams streams, ListenerTokens listenerTokens) {
        this.shares = shares;
        this.streams = streams;
        this.listenerTokens = listenerTokens;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/share/{sessionId}/stream.ogg", this::stream);
        routes.head("/api/share/{sessionId}/stream.ogg", this::streamHead);
        routes.get("/api/share/{sessionId}/stream.m3u", this::playlist);
        routes.head("/api/share/{sessionId}/stream.m3u", this::playlist); // Jetty drops the body, keeps its length
    }

    /**
     * GET's headers without its body. Left alone, Jetty would complete an empty HEAD answer with
     * {@code Content-Length: 0}, which tells a player the stream is empty; committing the headers first (a flush
     * with nothing written) makes Jetty frame it as it frames GET: chunked on HTTP/1.1, close-delimited on 1.0.
     */
    private void streamHead(Context ctx) throws IOException {
        requireActive(ctx);
        chained(ctx);
        streamHeaders(ctx, wantsIcy(ctx));
        ctx.res().flushBuffer();
    }

    private void stream(Context ctx) throws IOException {
        SessionId id = requireActive(ctx);
        boolean icy = wantsIcy(ctx);
        boolean chained = chained(ctx);
        ListenerId who = ListenerId.of(ctx.header("X-Listener-Id"), ctx.ip(), ctx.header("User-Agent"));
        streamHeaders(ctx, icy);
        limitSendBuffer(ctx);
        OggListener listener = new OggListener(id, icy ? new IcyMetadata() : null,
                streams.settings().listenerQueueBytes(), streams.resources().metrics(), () -> abort(ctx),
                streams.resources().writers(), streams.resources().observer());
        // Headers and the burst are queued now; Javalin puts the response in async mode before it asks for the
        // future, and only then can the listener write without blocking (servlet non-blocking output).
        streams.attach(id, listener, who, chained);
        ctx.future(() -> listener.start(outputOf(ctx)));
    }

    /**
     * The playlist carries the session's listener token whichever credential fetched it: a playlist is a file people
     * save and pass on, and its URL ends up in players' histories and proxies' logs, so the shared token (which may
     * do everything) is never written into it. The listener token can only read this session, and dies with it.
     */
    private void playlist(Context ctx) {
        SessionId id = requireActive(ctx);
        SessionIdentity identity = shares.identity(id).orElseThrow(
                () -> new ShareException(ShareException.Reason.SESSION_NOT_FOUND, "Session not found"));
        String query = chained(ctx) ? "?chained=true" : "";
        query += (query.isEmpty() ? "?" : "&") + "access_token="
                + URLEncoder.encode(listenerTokens.issue(id, identity), StandardCharsets.UTF_8);
        String path = ctx.path().substring(0, ctx.path().length() - "stream.m3u".length()) + "stream.ogg";
        String url = ctx.scheme() + "://" + ctx.host() + path + query;
        ctx.contentType("audio/x-mpegurl");
        ctx.header("Content-Disposition", "inline; filename=\"music-share-" + id.value() + ".m3u\"");
        ctx.result("#EXTM3U\n#EXTINF:-1,Music Share " + id.value() + "\n" + url + "\n");
    }

    private void streamHeaders(Context ctx, boolean icy) {
        ctx.status(200);
        ctx.contentType("audio/ogg");
        ctx.header("Cache-Control", "no-cache, no-store");
        ctx.header("Accept-Ranges", "none");
        ctx.header("X-Accel-Buffering", "no"); // nginx would otherwise buffer the stream
        ctx.header("icy-name", "Music Share");
        ctx.header("icy-br", "" + streams.settings().bitrate() / 1000);
        if (icy) ctx.header("icy-metaint", "" + IcyMetadata.INTERVAL);
    }

    private SessionId requireActive(Context ctx) {
        SessionId id = new SessionId(ctx.pathParam("sessionId"));
        SessionStatus status = shares.status(id);
        if (!status.isActive()) {
            throw new ShareException(ShareException.Reason.SESSION_NOT_ACTIVE, "Session is not active (stopped)");
        }
        return id;
    }

    /**
     * Caps the kernel's send buffer for this connection. Left to autotuning, Linux grows it to megabytes for a
     * reader that stopped reading, which hides a stalled player from the listener queue's bound (and costs memory
     * per listener); 64 kB is four seconds at 128 kbps.
     */
    private static void limitSendBuffer(Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        if (request != null && request.getServletChannel().getEndPoint() instanceof SocketChannelEndPoint socket) {
            try {
                socket.getChannel().setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER_BYTES);
            } catch (IOException e) {
                // the connection is going away; the writer will notice
            }
        }
    }

    private static ServletOutputStream outputOf(Context ctx) {
        try {
            return ctx.res().getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the connection under a response that cannot complete (its player stopped reading). */
    private static void abort(Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        if (request != null) request.getServletChannel().getEndPoint().close();
    }

    /**
     * The {@code chained} query parameter, a boolean as /openapi.json declares it: {@code true} or {@code false} in
     * any case; absent or empty means false, as an absent or empty {@code codec} means pcm.
     *
     * @throws ShareException (400 INVALID_REQUEST) for any other value: a typo must not quietly give the other stream
     */
    private static boolean chained(Context ctx) {
        String raw = ctx.queryParam("chained");
        if (raw == null || raw.isEmpty() || raw.equalsIgnoreCase("false")) return false;
        if (raw.equalsIgnoreCase("true")) return true;
        throw ShareException.invalid("chained must be true or false, was '" + (raw.length() > 20
                ? raw.substring(0, 20) + "…" : raw) + "'");
    }

    private static boolean wantsIcy(Context ctx) {
        return "1".equals(ctx.header("Icy-MetaData"));
    }
}
