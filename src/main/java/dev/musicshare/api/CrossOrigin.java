package dev.musicshare.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Set;

/**
 * CORS for the origins an operator lists (CORS_ORIGINS), e.g. a listener page hosted elsewhere; off by default, so
 * browsers keep other sites' scripts away from the API. Preflight requests are answered here, before auth, as
 * browsers send them without credentials.
 */
final class CrossOrigin {
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-Sender-Key, X-Listener-Id, Last-Event-ID";
    private final Set<String> origins;

    CrossOrigin(Set<String> origins) {
        this.origins = origins;
    }

    void register(RoutesConfig routes) {
        routes.before(this::allow);
        routes.options("/*", ctx -> ctx.status(origins.contains(ctx.header("Origin")) ? 204 : 403));
    }

    private void allow(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || !origins.contains(origin)) return;
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Vary", "Origin");
        ctx.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        ctx.header("Access-Control-Max-Age", "600");
    }
}
