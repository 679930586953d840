package dev.musicshare.live;

import dev.musicshare.share.AudioChunk;
import dev.musicshare.share.ListenerId;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.ShareException;
import dev.musicshare.share.ShareService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Push endpoints for listeners: {@code GET /api/share/{id}/events} (Server-Sent Events) and
 * {@code /api/share/{id}/ws} (WebSocket). Both send the current metadata, the buffered audio newer than
 * {@code since} (SSE also honours Last-Event-ID), then live events, and {@code ended} when the session ends.
 *
 * <pre>
 * curl -N "localhost:5000/api/share/123456/events?since=-1" -H "Authorization: Bearer $TOKEN"
 * </pre>
 */
public final class PushRoutes {
    private final ShareService shares;
    private final LiveHub hub;
    private final PushResources resources;

    public PushRoutes(ShareService shares, LiveHub hub, PushResources resources) {
        this.shares = shares;
        this.hub = hub;
        this.resources = resources;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/share/{sessionId}/events", this::events);
        routes.wsBeforeUpgrade("/api/share/{sessionId}/ws", ctx -> requireSession(ctx.pathParam("sessionId")));
        routes.ws("/api/share/{sessionId}/ws", this::webSocket);
    }

    private void events(Context ctx) throws Exception {
        SessionId id = requireSession(ctx.pathParam("sessionId"));
        String resumeFrom = ctx.queryParam("since") != null ? ctx.queryParam("since") : ctx.header("Last-Event-ID");
        long since = since(resumeFrom);
        ListenerId listener = listener(ctx.header("X-Listener-Id"), ctx.queryParam("listenerId"), ctx.ip(),
                ctx.header("User-Agent"), ctx.header("X-Listener-Name"), ctx.queryParam("name"));
        SseConnection connection = new SseConnection(ctx, id.value(), listener, since, resources);
        ctx.future(connection::done);
        attach(connection, id, since);
    }

    private void webSocket(WsConfig ws) {
        ws.onConnect(ctx -> {
            SessionId id = new SessionId(ctx.pathParam("sessionId"));
            long since = since(ctx.queryParam("since"));
            ListenerId listener = listener(ctx.header("X-Listener-Id"), ctx.queryParam("listenerId"),
                    remoteAddress(ctx), ctx.header("User-Agent"), ctx.header("X-Listener-Name"), ctx.queryParam("name"));
            WsConnection connection = new WsConnection(ctx, id.value(), listener, since, resources);
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
    private void attach(LiveConnection connection, SessionId id, long since) {
        hub.join(connection);
        List<LiveEvent> backlog = new ArrayList<>();
        boolean ended;
        try {
            shares.currentMetadata(id).ifPresent(metadata -> backlog.add(LiveEvents.metadata(id, metadata)));
            List<byte[]> chunks = shares.audioSince(id, since, connection.listenerId());
            if (!chunks.isEmpty()) {
                long first = AudioChunk.sequenceNumberOf(chunks.get(0));
                if (since >= 0 && first > since + 1) backlog.add(LiveEvent.gap(since + 1, first - 1));
            }
            for (byte[] chunk : chunks) backlog.add(LiveEvent.audio(AudioChunk.sequenceNumberOf(chunk), chunk));
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

    private SessionId requireSession(String rawId) {
        SessionId id = new SessionId(rawId);
        shares.status(id); // a 404 before any stream is opened
        return id;
    }

    private static void closeAttached(WsContext ctx, String reason) {
        LiveConnection connection = ctx.attribute("connection");
        if (connection != null) connection.close(reason);
    }

    /**
     * Browsers cannot set headers on EventSource or WebSocket, so the listener's id and display name may also come
     * as the query parameters {@code listenerId} and {@code name} (a header wins).
     */
    private static ListenerId listener(String idHeader, String idParam, String address, String userAgent,
            String nameHeader, String nameParam) {
        ListenerId id = ListenerId.of(idHeader != null ? idHeader : idParam, address, userAgent);
        return nameHeader != null ? id.withDisplayNameHeader(nameHeader) : id.withDisplayName(nameParam);
    }

    private static long since(String raw) {
        if (raw == null || raw.isBlank()) return -1;
        try {
            long since = Long.parseLong(raw.trim());
            if (since >= -1) return since;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ShareException.invalid("since must be -1 or a sequence number (an integer)");
    }

    private static String remoteAddress(WsContext ctx) {
        return String.valueOf(ctx.session.getRemoteSocketAddress()).replaceFirst("^/", "").replaceFirst(":\\d+$", "");
    }
}
