package dev.musicshare.live;

import dev.musicshare.share.ListenerId;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.ShareException;
import dev.musicshare.share.ShareService;
import dev.musicshare.store.BufferedChunk;
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
 * 400.
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
        SessionId id = requireSession(ctx.pathParam("sessionId"));
        PushCodec codec = requireCodec(ctx.queryParam("codec"));
        Since since = Since.forEventStream(ctx.queryParam("since"), ctx.header("Last-Event-ID"));
        ListenerId listener = ListenerId.fromRequest(ctx::header, ctx::queryParam, ctx.ip());
        SseConnection connection = new SseConnection(ctx, id.value(), listener, since.value(), resources, codec);
        ctx.future(connection::done);
        attach(connection, id, since);
    }

    private void webSocket(WsConfig ws) {
        ws.onConnect(ctx -> {
            SessionId id = new SessionId(ctx.pathParam("sessionId"));
            PushCodec codec = PushCodec.parse(ctx.queryParam("codec")); // checked before the upgrade
            Since since = Since.parse(ctx.queryParam("since"));
            ListenerId listener = ListenerId.fromRequest(ctx::header, ctx::queryParam, remoteAddress(ctx));
            WsConnection connection = new WsConnection(ctx, id.value(), listener, since.value(), resources, codec);
            ctx.attribute("connection", connection);
            attach(connection, id, since);
        });
        ws.onClose(ctx -> closeAttached(ctx, "listener left"));
        ws.onError(ctx -> closeAttached(ctx, "connection error"));
    }

    /**
     * Joins the hub first, then reads the store: live events that arrive meanwhile are held by the connection and
     * released after the backlog, deduplicated by sequence number, so the seam has no gap and no duplicate.
     */
    private void attach(LiveConnection connection, SessionId id, Since since) {
        hub.join(connection);
        if (connection.codec() == PushCodec.OPUS) {
            attachOpus(connection, id, since);
            return;
        }
        List<LiveEvent> backlog = new ArrayList<>();
        boolean ended;
        try {
            shares.currentMetadata(id).ifPresent(metadata -> backlog.add(LiveEvents.metadata(id, metadata)));
            List<BufferedChunk> chunks = shares.audioSince(id, since, connection.listenerId());
            long after = since.value();
            if (!chunks.isEmpty() && after >= 0 && chunks.get(0).sequenceNumber() > after + 1) {
                backlog.add(LiveEvent.gap(after + 1, chunks.get(0).sequenceNumber() - 1));
            }
            for (BufferedChunk chunk : chunks) backlog.add(LiveEvent.audio(chunk.sequenceNumber(), chunk.json()));
            ended = !shares.status(id).isActive();
        } catch (ShareException e) {
            ended = true; // it ended between the check and the read
        } catch (RuntimeException e) {
            connection.close("server error");
            throw e;
        }
        connection.finishCatchUp(backlog);
        if (ended) connection.finish(LiveEvent.ended("stopped"));
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

    private SessionId requireSession(String rawId) {
        SessionId id = new SessionId(rawId);
        shares.status(id); // a 404 before any stream is opened
        return id;
    }

    private static void closeAttached(WsContext ctx, String reason) {
        LiveConnection connection = ctx.attribute("connection");
        if (connection != null) connection.close(reason);
    }

    private static String remoteAddress(WsContext ctx) {
        return String.valueOf(ctx.session.getRemoteSocketAddress()).replaceFirst("^/", "").replaceFirst(":\\d+$", "");
    }
}
