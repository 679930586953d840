package dev.musicshare.live;

import dev.musicshare.share.CatchUp;
import dev.musicshare.share.ListenerId;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.ShareException;
import dev.musicshare.share.ShareService;
import dev.musicshare.share.Since;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Push endpoints for listeners: {@code GET /api/share/{id}/events} (Server-Sent Events) and
 * {@code /api/share/{id}/ws} (WebSocket). Both send the current metadata, the buffered audio newer than
 * {@code since}, then live events, and {@code ended} when the session ends. On SSE a usable {@code Last-Event-ID}
 * wins over {@code since} (see {@link Since#forEventStream}). With {@code codec=opus} the audio events carry Opus
 * frames from this node's encoder for the session instead of the PCM chunks ({@link OpusPush}); another codec is a
 * 400. A PCM connect reads the store once: the catch-up ({@link ShareService#catchUp}) gives the state, the metadata
 * and the chunks together.
 *
 * <pre>
 * curl -N "localhost:5000/api/share/123456/events?since=-1" -H "Authorization: Bearer $TOKEN"
 * </pre>
 */
public final class PushRoutes {
    private final ShareService shares;
    private final LiveHub hub;
    private final PushResources resources;
    private volatile OpusPush opus;

    public PushRoutes(ShareService shares, LiveHub hub, PushResources resources) {
        this.shares = shares;
        this.hub = hub;
        this.resources = resources;
    }

    /** Where {@code codec=opus} connections get their audio; without it they are refused (400). */
    public void serveOpusWith(OpusPush opus) {
        this.opus = opus;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/share/{sessionId}/events", this::events);
        routes.wsBeforeUpgrade("/api/share/{sessionId}/ws", ctx -> {
            requireSession(ctx.pathParam("sessionId"));
            requireCodec(ctx.queryParam("codec"));
        });
        routes.ws("/api/share/{sessionId}/ws", this::webSocket);
    }

    private void events(Context ctx) throws Exception {
        SessionId id = new SessionId(ctx.pathParam("sessionId"));
        PushCodec codec = requireCodec(ctx.queryParam("codec"));
        Since since = Since.forEventStream(ctx.queryParam("since"), ctx.header("Last-Event-ID"));
        ListenerId listener = ListenerId.fromRequest(ctx::header, ctx::queryParam, ctx.ip());
        SseConnection connection = new SseConnection(ctx, id.value(), listener, since.value(), resources, codec);
        if (codec == PushCodec.OPUS) {
            requireSession(id.value());
            connection.open();
            ctx.future(connection::done);
            hub.join(connection);
            attachOpus(connection, id, since);
            return;
        }
        CatchUp catchUp = catchUp(connection, id, since);
        if (catchUp.state() == CatchUp.State.GONE) {
            connection.close("session not found");
            throw notFound();
        }
        connection.open(); // only now: a session that is gone gets a 404, not an empty event stream
        ctx.future(connection::done);
        deliver(connection, id, since, catchUp);
    }

    private void webSocket(WsConfig ws) {
        ws.onConnect(ctx -> {
            SessionId id = new SessionId(ctx.pathParam("sessionId"));
            PushCodec codec = PushCodec.parse(ctx.queryParam("codec")); // checked before the upgrade
            Since since = Since.parse(ctx.queryParam("since"));
            ListenerId listener = ListenerId.fromRequest(ctx::header, ctx::queryParam, remoteAddress(ctx));
            WsConnection connection = new WsConnection(ctx, id.value(), listener, since.value(), resources, codec);
            ctx.attribute("connection", connection);
            if (codec == PushCodec.OPUS) {
                hub.join(connection);
                attachOpus(connection, id, since);
            } else {
                deliver(connection, id, since, catchUp(connection, id, since));
            }
        });
        ws.onClose(ctx -> closeAttached(ctx, "listener left"));
        ws.onError(ctx -> closeAttached(ctx, "connection error"));
    }

    /**
     * Joins the hub first, then reads the store in one step (state, metadata and the chunks after {@code since}):
     * live events that arrive meanwhile are held by the connection and released after the backlog, deduplicated
     * by sequence number, so the seam has no gap and no duplicate.
     */
    private CatchUp catchUp(LiveConnection connection, SessionId id, Since since) {
        hub.join(connection);
        try {
            return shares.catchUp(id, since.value(), connection.listenerId());
        } catch (RuntimeException e) {
            connection.close("server error");
            throw e;
        }
    }

    /** Queues the backlog, then {@code ended} if the session is no longer active. */
    private static void deliver(LiveConnection connection, SessionId id, Since since, CatchUp catchUp) {
        connection.finishCatchUp(CatchUpEvents.backlog(id, catchUp, since.value()));
        CatchUpEvents.ending(catchUp).ifPresent(connection::finish);
    }

    /**
     * An Opus connection's audio and end come from the session's encoder on this node; from the store it needs only
     * the metadata. The encoder (started for it if need be) ends the stream when the session has ended.
     */
    private void attachOpus(LiveConnection connection, SessionId id, Since since) {
        List<LiveEvent> backlog = new ArrayList<>();
        try {
            try {
                shares.currentMetadata(id).ifPresent(metadata -> backlog.add(LiveEvents.metadata(id, metadata)));
                shares.recordListening(id, List.of(connection.listenerId())); // counted at once, as PCM's read does
            } catch (ShareException e) {
                // it ended between the check and the read: the encoder tells the listener so
            }
            opus.subscribe(connection, id, since.value(), backlog);
        } catch (RuntimeException e) {
            connection.close("server error");
            throw e;
        }
    }

    private PushCodec requireCodec(String raw) {
        PushCodec codec = PushCodec.parse(raw);
        if (codec == PushCodec.OPUS && opus == null) throw ShareException.invalid("codec=opus is not served here");
        return codec;
    }

    /** A 404 before any stream is opened: one read of the session's state, no listener recorded. */
    private void requireSession(String rawId) {
        if (shares.identity(new SessionId(rawId)).isEmpty()) throw notFound();
    }

    private static ShareException notFound() {
        return new ShareException(ShareException.Reason.SESSION_NOT_FOUND, "Session not found");
    }

    private static void closeAttached(WsContext ctx, String reason) {
        LiveConnection connection = ctx.attribute("connection");
        if (connection != null) connection.close(reason);
    }

    private static String remoteAddress(WsContext ctx) {
        return String.valueOf(ctx.session.getRemoteSocketAddress()).replaceFirst("^/", "").replaceFirst(":\\d+$", "");
    }
}
