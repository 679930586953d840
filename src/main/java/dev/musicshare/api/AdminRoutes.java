package dev.musicshare.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.musicshare.share.SessionStats;
import dev.musicshare.share.ShareService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Operators' view of the sessions, behind the same token. ({@code GET /status} stays as the seed defines it.)
 *
 * <pre>
 * curl localhost:5000/api/admin/stats -H "Authorization: Bearer $TOKEN"
 * </pre>
 */
final class AdminRoutes {
    private final ShareService shares;
    private final int maxSessions;

    AdminRoutes(ShareService shares, int maxSessions) {
        this.shares = shares;
        this.maxSessions = maxSessions;
    }

    void register(RoutesConfig routes) {
        ReadRoutes.getAndHead(routes, "/api/admin/stats", this::stats);
    }

    private void stats(Context ctx) {
        ObjectNode body = Json.object();
        ArrayNode sessions = Json.MAPPER.createArrayNode();
        for (SessionStats session : shares.liveSessionStats()) {
            sessions.add(Json.object().put("sessionId", session.sessionId())
                    .put("ageSeconds", session.ageSeconds()).put("listeners", session.listeners())
                    .put("peakListeners", session.peakListeners()).put("chunks", session.chunks())
                    .put("bytes", session.bytes()).put("lastActivity", session.lastActivity()));
        }
        body.put("liveSessions", sessions.size()).put("maxSessions", maxSessions).put("store", shares.storeKind());
        body.set("sessions", sessions);
        Json.write(ctx, body);
    }
}
