package dev.musicshare.api;

import dev.musicshare.share.ListenerTokens;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.SessionIdentity;
import dev.musicshare.share.ShareException;
import dev.musicshare.share.ShareService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.nayuki.qrcodegen.QrCode;

/**
 * Invitations to a session without the shared token: its listener token, a ready listen URL, and that URL as a QR
 * code (SVG drawn here, so a phone on a LAN without internet can still scan it off the page). Readable with the
 * shared token or the session's own listener token, so a listener's page can pass the invitation on.
 *
 * <pre>
 * curl localhost:5000/api/share/123456/invite -H "Authorization: Bearer $TOKEN"
 * curl localhost:5000/api/share/123456/invite.svg -H "Authorization: Bearer $TOKEN" -o invite.svg
 * </pre>
 */
final class InviteRoutes {
    /** Quiet zone around the code, in modules: the QR specification asks for four. */
    private static final int BORDER = 4;

    private final ShareService shares;
    private final ListenerTokens tokens;
    private final String basePath;
    /** {@code PUBLIC_URL}, an origin; null: the request's own. */
    private final String publicUrl;

    InviteRoutes(ShareService shares, ListenerTokens tokens, String basePath, String publicUrl) {
        this.shares = shares;
        this.tokens = tokens;
        this.basePath = basePath.endsWith("/") ? basePath : basePath + "/";
        this.publicUrl = publicUrl;
    }

    void register(RoutesConfig routes) {
        ReadRoutes.getAndHead(routes, "/api/share/{sessionId}/invite", this::invite);
        ReadRoutes.getAndHead(routes, "/api/share/{sessionId}/invite.svg", this::qrCode);
    }

    private void invite(Context ctx) {
        SessionId id = Paths.sessionId(ctx);
        String token = token(id);
        Json.write(ctx, Json.object().put("sessionId", id.value()).put("listenerToken", token)
                .put("listenUrl", listenUrl(ctx, id, token))
                .put("qrCodeUrl", basePath + "api/share/" + id.value() + "/invite.svg"));
    }

    private void qrCode(Context ctx) {
        SessionId id = Paths.sessionId(ctx);
        String url = listenUrl(ctx, id, token(id));
        ctx.contentType("image/svg+xml; charset=utf-8").result(svg(QrCode.encodeText(url, QrCode.Ecc.MEDIUM)));
    }

    /** The listener token of the session's current life. */
    String token(SessionId id) {
        SessionIdentity identity = shares.identity(id).orElseThrow(
                () -> new ShareException(ShareException.Reason.SESSION_NOT_FOUND, "Session not found"));
        return tokens.issue(id, identity);
    }

    /**
     * The page's address at {@code PUBLIC_URL} when set (behind a proxy the request's scheme and Host are the proxy's
     * hop to this node, not what a listener can reach); otherwise as this request reached the server (its Host
     * header, so the link works from where the inviter stands: a LAN address). The token rides in the fragment,
     * which browsers never send.
     */
    String listenUrl(Context ctx, SessionId id, String token) {
        return origin(ctx) + basePath + "listen/" + id.value() + "#token=" + token;
    }

    private String origin(Context ctx) {
        if (publicUrl != null) return publicUrl;
        String host = ctx.host();
        if (host == null || host.isBlank()) host = "localhost:" + ctx.port();
        return ctx.scheme() + "://" + host;
    }

    /** One path of unit squares, dark modules only, on a white background: scales without blur, a few KB. */
    static String svg(QrCode qr) {
        int size = qr.size + 2 * BORDER;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    path.append('M').append(x + BORDER).append(',').append(y + BORDER).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 " + size + " " + size
                + "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code of the listen link\">"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
                + "<path d=\"" + path + "\" fill=\"#000000\"/></svg>";
    }
}
