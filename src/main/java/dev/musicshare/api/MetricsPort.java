package dev.musicshare.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * {@code METRICS_PORT}: /metrics on a port of its own, so a deployment can publish the API and keep the figures on an
 * internal network (the compose file exposes it to its network only). That port serves /metrics and nothing else,
 * and the API's port then answers /metrics with 404, as if it had no such endpoint.
 */
final class MetricsPort {
    private final int port;

    /** @param port the dedicated port, or 0 to serve /metrics on the API's port */
    MetricsPort(int port) {
        this.port = port;
    }

    /**
     * Adds the two connectors: the API's first (Javalin adds its own only when none is configured, and the server's
     * port is the first connector's), then the metrics one.
     */
    void register(JavalinConfig config, String host, int apiPort) {
        if (port == 0) return;
        config.jetty.addConnector((server, http) -> connector(server, http, host, apiPort));
        config.jetty.addConnector((server, http) -> connector(server, http, host, port));
        config.routes.before(ctx -> {
            if (onMetricsPort(ctx) && !ctx.path().equals(ctx.contextPath().replaceAll("/$", "") + "/metrics")) {
                throw notFound(ctx);
            }
        });
    }

    private static ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /** On the API's port when a dedicated one is set: 404, as for any endpoint the server does not have. */
    void requireMetricsConnector(Context ctx) {
        if (port != 0 && !onMetricsPort(ctx)) throw notFound(ctx);
    }

    private boolean onMetricsPort(Context ctx) {
        return port != 0 && ctx.req().getLocalPort() == port;
    }

    private static ApiException notFound(Context ctx) {
        return new ApiException(404, "NOT_FOUND", "No such endpoint: " + ctx.method() + " " + ctx.path());
    }
}
