package dev.musicshare.api;

import dev.musicshare.share.SessionId;
import io.javalin.http.Context;

/** Path parameters, validated once at the edge. */
final class Paths {
    private Paths() {}

    /** The {sessionId} path segment; anything but six digits is a 400 before the store is asked. */
    static SessionId sessionId(Context ctx) {
        return new SessionId(ctx.pathParam("sessionId"));
    }
}
