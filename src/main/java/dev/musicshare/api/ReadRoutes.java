package dev.musicshare.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;

/**
 * Read routes that answer {@code HEAD} as they answer {@code GET} (RFC 9110 section 9.3.2): same status, same
 * headers, no body (Jetty drops what a HEAD handler writes and keeps its length). Without a HEAD route Javalin answers
 * 200 with an empty text body whenever a GET route matches the path, so a probe (download managers, players,
 * {@code wget --spider}) saw "exists, empty" even for an id that does not exist.
 */
final class ReadRoutes {
    private ReadRoutes() {}

    static void getAndHead(RoutesConfig routes, String path, Handler handler) {
        routes.get(path, handler);
        routes.head(path, handler);
    }
}
