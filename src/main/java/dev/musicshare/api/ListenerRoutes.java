package dev.musicshare.api;

import dev.musicshare.share.ListenerId;
import dev.musicshare.share.Metadata;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.Since;
import dev.musicshare.store.BufferedChunk;
import dev.musicshare.share.SessionStatus;
import dev.musicshare.share.ShareService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;

/**
 * The listener's endpoints: status, metadata, audio. Audio is answered with the stored chunk bytes, concatenated
 * into a JSON array: nothing is decoded or re-encoded per listener.
 *
 * <pre>
 * curl "localhost:5000/api/share/123456/audio?since=-1" -H "Authorization: Bearer $TOKEN"
 * </pre>
 */
final class ListenerRoutes {
    private final ShareService shares;

    ListenerRoutes(ShareService shares) {
        this.shares = shares;
    }

    void register(RoutesConfig routes) {
        ReadRoutes.getAndHead(routes, "/api/share/{sessionId}/status", this::status);
        ReadRoutes.getAndHead(routes, "/api/share/{sessionId}/metadata", this::metadata);
        ReadRoutes.getAndHead(routes, "/api/share/{sessionId}/audio", this::audio);
        ReadRoutes.getAndHead(routes, "/api/share/{sessionId}/thumbnail", this::thumbnail);
        // A WebSocket handshake never reaches this route (Javalin hands it to the socket endpoint); a plain GET does.
        routes.get("/api/share/{sessionId}/ws", this::upgradeRequired);
    }

    /** 426 (RFC 9110 §15.5.22) for a plain GET on the WebSocket endpoint of a session that exists. */
    private void upgradeRequired(Context ctx) {
        shares.status(Paths.sessionId(ctx)); // an unknown session is still a 404
        ctx.header("Upgrade", "websocket");
        ctx.header("Connection", "Upgrade");
        throw new ApiException(426, "UPGRADE_REQUIRED", "This endpoint is a WebSocket: connect with a WebSocket"
                + " client (Upgrade: websocket), or use " + ctx.path().replaceFirst("/ws$", "/events")
                + " for Server-Sent Events");
    }

    private void status(Context ctx) {
        SessionStatus status = shares.status(Paths.sessionId(ctx));
        var response = Json.object().put("isActive", status.isActive()).put("startTime", status.startTime())
                .put("listenerCount", status.listenerCount());
        response.putObject("currentMetadata").put("title", status.title()).put("artist", status.artist());
        status.listenerNames().forEach(response.putArray("listenerNames")::add);
        response.put("otherListeners", status.otherListeners());
        Json.write(ctx, response);
    }

    private void metadata(Context ctx) {
        Metadata metadata = shares.metadata(Paths.sessionId(ctx), listenerId(ctx));
        Json.write(ctx, metadata);
    }

    private void audio(Context ctx) {
        SessionId id = Paths.sessionId(ctx);
        List<BufferedChunk> chunks = shares.audioSince(id, Since.parse(ctx.queryParam("since")), listenerId(ctx));
        if (chunks.isEmpty()) {
            ctx.status(204);
            return;
        }
        ctx.contentType(Json.CONTENT_TYPE).result(jsonArray(chunks));
    }

    /** The cover art as an image, so pages and push listeners fetch it once per change (see thumbnailUrl). */
    private void thumbnail(Context ctx) {
        Metadata metadata = shares.currentMetadata(Paths.sessionId(ctx)).orElse(null);
        String version = metadata == null ? null : metadata.thumbnailVersion();
        byte[] image = version == null ? null : decodeOrNull(metadata.thumbnailData());
        if (image == null) throw new ApiException(404, "THUMBNAIL_NOT_FOUND", "No cover art for this session");
        ctx.header("ETag", "\"" + version + "\"");
        ctx.header("Cache-Control", "private, max-age=86400");
        if (("\"" + version + "\"").equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(imageType(image)).result(image);
    }

    private static byte[] decodeOrNull(String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The desktop app sends JPEG; PNG is recognised by its signature. */
    private static String imageType(byte[] image) {
        boolean png = image.length > 3 && image[0] == (byte) 0x89 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G';
        return png ? "image/png" : "image/jpeg";
    }

    private static ListenerId listenerId(Context ctx) {
        return ListenerId.fromRequest(ctx::header, ctx::queryParam, ctx.ip());
    }

    private static byte[] jsonArray(List<BufferedChunk> chunks) {
        int size = 2 + chunks.size();
        for (BufferedChunk chunk : chunks) size += chunk.json().length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write('[');
        for (int i = 0; i < chunks.size(); i++) {
            if (i > 0) out.write(',');
            out.writeBytes(chunks.get(i).json());
        }
        out.write(']');
        return out.toByteArray();
    }
}
