package dev.musicshare.api;

import dev.musicshare.config.Settings;
import dev.musicshare.history.HistoryQueries;
import dev.musicshare.limits.BucketStore;
import dev.musicshare.live.PushRoutes;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.recording.Recordings;
import dev.musicshare.share.ListenerTokens;
import dev.musicshare.share.ShareService;
import dev.musicshare.stream.StreamRoutes;
import dev.musicshare.store.StoreUnavailableException;
import dev.musicshare.web.PageRoutes;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.util.List;

/** Builds the Javalin application: every route, auth and the error mapping, configured in one place. */
public final class HttpApi {
    private HttpApi() {}

    /**
     * @param buckets    where the rate limits' buckets live (shared by all nodes on Redis)
     * @param recordings this node's recordings (their routes, and start's "record")
     */
    public static Javalin create(ShareService shares, Settings settings, Clock clock, PushRoutes push,
            StreamRoutes stream, InFlightRequests inFlight, ShareMetrics metrics, HistoryQueries history,
            BucketStore buckets, Recordings recordings) {
        ListenerTokens listenerTokens = new ListenerTokens(settings.bearerToken());
        Access access = new Access(new BearerAuth(settings.bearerToken()), listenerTokens, shares,
                settings.basePath());
        RateLimits limits = new RateLimits(settings.rateLimits(), buckets, clock, metrics);
        int largestBody = Math.max(settings.maxAudioBodyBytes(), settings.maxMetadataBodyBytes());
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = largestBody;
            config.concurrency.useVirtualThreads = Runtime.version().feature() >= 21;
            config.jetty.host = settings.bindAddress();
            config.jetty.port = settings.port();
            config.router.contextPath = settings.basePath();
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyJsonErrors()));
            // The server keeps no HTTP sessions, yet Javalin's WebSocket handshake opens one, whose JSESSIONID cookie
            // would only be a tracking identifier: no cookie is ever set.
            config.jetty.modifyServletContextHandler(handler -> handler.getSessionHandler().setUsingCookies(false));
            config.http.asyncTimeout = 0; // push streams stay open until the session ends or the listener leaves
            inFlight.register(config.routes);
            new CrossOrigin(settings.corsOrigins()).register(config.routes);
            long drainLimit = 2L * largestBody; // a body a little over the limit still gets its 413 read
            config.routes.before("/api/*", ctx -> {
                RequestBodies.setDrainLimit(ctx, drainLimit);
                privateAnswer(ctx);
            });
            // A WebSocket handshake does not pass the HTTP filters; its refusals (401, 403, 404, 400) are API answers too.
            config.routes.wsBeforeUpgrade("/api/*", HttpApi::privateAnswer);
            config.routes.after("/api/*", ctx -> {
                if (ctx.method() == HandlerType.POST) RequestBodies.discardUnread(ctx); // e.g. a body sent to stop
            });
            config.routes.before("/api/admin/*", access::requireShared);
            config.routes.before("/api/recordings", access::requireShared);
            config.routes.before("/api/recordings/*", access::requireShared);
            config.routes.before("/api/share/*", ctx -> {
                if (ctx.method() == HandlerType.OPTIONS) return; // CORS preflights carry no credentials
                access.requireListenerOrShared(ctx);
                limits.check(ctx);
            });
            config.routes.wsBeforeUpgrade("/api/share/*", access::requireListenerOrShared);
            ReadRoutes.getAndHead(config.routes, "/health", ctx -> health(ctx, shares));
            ReadRoutes.getAndHead(config.routes, "/api/clock", ctx -> clock(ctx, shares));
            byte[] openApi = OpenApi.document();
            ReadRoutes.getAndHead(config.routes, "/openapi.json",
                    ctx -> ctx.contentType(Json.CONTENT_TYPE).result(openApi));
            MetricsPort metricsPort = new MetricsPort(settings.metricsPort());
            metricsPort.register(config, settings.bindAddress(), settings.port());
            ReadRoutes.getAndHead(config.routes, "/metrics", ctx -> {
                metricsPort.requireMetricsConnector(ctx);
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
            });
            config.requestLogger.http((ctx, millis) -> {
                var route = ctx.endpoints().matchedHttpEndpoint();
                metrics.request(ctx.method().name(), route == null ? "unmatched" : route.path, ctx.statusCode(),
                        java.time.Duration.ofNanos((long) (millis * 1_000_000)));
            });
            InviteRoutes invites = new InviteRoutes(shares, listenerTokens, settings.basePath(),
                    settings.publicUrl());
            new SenderRoutes(shares, settings, clock, invites, recordings).register(config.routes);
            invites.register(config.routes);
            new ListenerRoutes(shares).register(config.routes);
            push.register(config.routes);
            stream.register(config.routes);
            new PageRoutes(settings.basePath()).register(config.routes);
            new AdminRoutes(shares, settings.store().maxSessions()).register(config.routes);
            new HistoryRoutes(history).register(config.routes);
            new RecordingRoutes(recordings.library(), settings.basePath()).register(config.routes);
            ErrorResponses.register(config.routes, limits);
        });
    }

    /** API answers, errors included, are private and live: never cached, never content-sniffed. */
    private static void privateAnswer(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
    }

    /**
     * The server's clock for NTP-style round trips (a page takes the middle of each request as this moment): the
     * clock that presentation times are on, epoch milliseconds with microsecond decimals. No token: it tells nothing.
     */
    private static void clock(Context ctx, ShareService shares) {
        Json.write(ctx, Json.object().put("serverTime", java.math.BigDecimal.valueOf(shares.nowMicros(), 3)));
    }

    private static void health(Context ctx, ShareService shares) {
        try {
            List<String> unreachable = shares.checkStore();
            var body = Json.object().put("status", unreachable.isEmpty() ? "healthy" : "degraded")
                    .put("store", shares.storeKind());
            // Still 200: the node serves every session whose shard answers; taking it out of a load balancer
            // would not bring the shard back, and every node sees the same cluster.
            if (!unreachable.isEmpty()) unreachable.forEach(body.putArray("unreachable")::add);
            Json.write(ctx, body);
        } catch (StoreUnavailableException e) {
            ctx.status(503);
            Json.write(ctx, Json.object().put("status", "unhealthy").put("store", shares.storeKind())
                    .put("error", "The session store is unavailable"));
        }
    }
}
