package dev.musicshare.testing;

import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsHandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * Every route a running Javalin application serves, as "METHOD /path" (WebSocket upgrades as GET, CORS preflights
 * left out). Reads Javalin's internal router, which is why it lives with the tests and not in the server.
 */
public final class ServedRoutes {
    private ServedRoutes() {}

    public static List<String> of(Javalin http) {
        List<String> routes = new ArrayList<>();
        for (var entry : http.unsafe.internalRouter.allHttpHandlers()) {
            HandlerType method = entry.endpoint.method;
            if (method.isHttpMethod() && method != HandlerType.OPTIONS) {
                routes.add(method.name() + " " + entry.endpoint.path);
            }
        }
        for (var entry : http.unsafe.internalRouter.allWsHandlers()) {
            if (entry.getType() == WsHandlerType.WEBSOCKET) routes.add("GET " + entry.getPath());
        }
        return routes;
    }
}
