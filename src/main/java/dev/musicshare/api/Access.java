package dev.musicshare.api;

import dev.musicshare.share.ListenerTokens;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.SessionIdentity;
import dev.musicshare.share.ShareService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Optional;

/**
 * Who may do what: the shared token may do everything; a session's listener token (see {@link ListenerTokens}) may
 * only read that session, through every listener endpoint (the GETs under {@code /api/share/{id}/}). A genuine
 * listener token used anywhere else is refused with 403 {@code LISTENER_TOKEN_READ_ONLY}; a token that is not (or
 * no longer) genuine, with 401 as any wrong credential. Credentials come from {@code Authorization} (bearer or bare)
 * or, on GETs and HEADs, {@code access_token}, because browsers cannot set headers on EventSource, WebSocket and
 * {@code <audio>}, nor media players on a playlist's URL. A listener token in {@code access_token} of a write is
 * still recognised, so it gets the same 403.
 */
final class Access {
    private static final String SCHEME = "bearer ";
    private static final String SHARE_PREFIX = "/api/share/";

    private final BearerAuth bearer;
    private final ListenerTokens tokens;
    private final ShareService shares;
    private final String contextPath;

    Access(BearerAuth bearer, ListenerTokens tokens, ShareService shares, String contextPath) {
        this.bearer = bearer;
        this.tokens = tokens;
        this.shares = shares;
        this.contextPath = contextPath.equals("/") ? "" : contextPath.replaceAll("/$", "");
    }

    /** For {@code /api/share/*}: the shared token, or the listener token of the session the GET reads. */
    void requireListenerOrShared(Context ctx) {
        String credential = credential(ctx);
        if (bearer.accepts(credential)) return;
        refuseListenerTokenInQueryOfWrite(ctx, credential);
        SessionId tokenSession = genuineListenerToken(credential).orElseThrow(() -> unauthorized(ctx));
        if (!isRead(ctx) || !tokenSession.value().equals(pathSession(ctx))) throw readOnly();
    }

    /** For operators' endpoints: the shared token only. */
    void requireShared(Context ctx) {
        String credential = credential(ctx);
        if (bearer.accepts(credential)) return;
        refuseListenerTokenInQueryOfWrite(ctx, credential);
        if (genuineListenerToken(credential).isPresent()) throw readOnly();
        throw unauthorized(ctx);
    }

    /**
     * A write takes no credential from {@code access_token}, yet a genuine listener token there is recognised and
     * refused with 403, as in the header, so a client that put its invite token in the URL learns the token is
     * read-only rather than wrong. The shared token in the query of a write stays a 401.
     */
    private void refuseListenerTokenInQueryOfWrite(Context ctx, String credential) {
        if (credential != null || isRead(ctx)) return;
        if (genuineListenerToken(ctx.queryParam("access_token")).isPresent()) throw readOnly();
    }

    /** The session a listener token opens, when it is the token of that session's current life. */
    private Optional<SessionId> genuineListenerToken(String credential) {
        String presented = stripScheme(credential);
        Optional<SessionId> claimed = ListenerTokens.claimedSession(presented);
        if (claimed.isEmpty()) return Optional.empty();
        Optional<SessionIdentity> identity = shares.identity(claimed.get());
        return identity.isPresent() && tokens.matches(presented, claimed.get(), identity.get())
                ? claimed : Optional.empty();
    }

    private static String credential(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null && isRead(ctx)) header = ctx.queryParam("access_token");
        return header;
    }

    /** GET and HEAD read; HEAD too, because media players probe a stream's URL with it before playing. */
    private static boolean isRead(Context ctx) {
        return ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD;
    }

    private static String stripScheme(String credential) {
        if (credential == null) return null;
        return credential.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                ? credential.substring(SCHEME.length()).trim() : credential.trim();
    }

    /** The {sessionId} segment of a listener path ({@code /api/share/123456/…}), or null for any other path. */
    private String pathSession(Context ctx) {
        String path = ctx.path();
        if (path.startsWith(contextPath)) path = path.substring(contextPath.length());
        if (!path.startsWith(SHARE_PREFIX)) return null;
        String rest = path.substring(SHARE_PREFIX.length());
        int slash = rest.indexOf('/');
        return slash == 6 ? rest.substring(0, 6) : null;
    }

    private static ApiException unauthorized(Context ctx) {
        ctx.header("WWW-Authenticate", "Bearer");
        return new ApiException(401, "UNAUTHORIZED", "Unauthorized");
    }

    private static ApiException readOnly() {
        return new ApiException(403, "LISTENER_TOKEN_READ_ONLY",
                "A listener token only reads its own session (status, metadata, audio, push streams)");
    }
}
