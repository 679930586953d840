package dev.musicshare;

import dev.musicshare.api.HttpApi;
import dev.musicshare.api.InFlightRequests;
import dev.musicshare.config.Settings;
import dev.musicshare.live.LiveEvent;
import dev.musicshare.live.LiveHub;
import dev.musicshare.live.LiveLimits;
import dev.musicshare.live.LiveMaintenance;
import dev.musicshare.live.LocalShareEvents;
import dev.musicshare.live.PushResources;
import dev.musicshare.live.PushRoutes;
import dev.musicshare.live.RedisShareEvents;
import dev.musicshare.live.WriterThreads;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.share.SessionStats;
import dev.musicshare.share.ShareEvents;
import dev.musicshare.share.ShareService;
import dev.musicshare.store.MemoryShareStore;
import dev.musicshare.store.RedisOptions;
import dev.musicshare.store.RedisShareStore;
import dev.musicshare.store.ShareStore;
import dev.musicshare.store.StoreUnavailableException;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: picks the store, builds the domain, the live hub and the HTTP API, and runs the periodic
 * work. The CLI and the HTTP tests both start the server through {@link #start}, so tests exercise exactly the
 * production wiring.
 */
public final class MusicShareServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MusicShareServer.class);
    /** How often idle sessions are looked for; expiry itself is exact, this only decides when it is announced. */
    private static final long SWEEP_INTERVAL_MILLIS = 1_000;
    /** How often held-back audio is checked: the granularity with which a hole is skipped after its window. */
    private static final long RELEASE_CHECK_MILLIS = 50;
    /** How long a shutdown waits for requests in flight. */
    private static final Duration SHUTDOWN_PATIENCE = Duration.ofSeconds(5);

    private final ShareStore store;
    private final RedisShareEvents redisEvents;
    private final LiveHub hub;
    private final ExecutorService writers;
    private final ScheduledExecutorService scheduler;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final ShareMetrics metrics;
    private Javalin http;
    private volatile boolean sweepFailing;

    private MusicShareServer(ShareMetrics metrics, ShareStore store, RedisShareEvents redisEvents,
            ExecutorService writers, ScheduledExecutorService scheduler) {
        this.metrics = metrics;
        this.store = store;
        this.redisEvents = redisEvents;
        this.hub = redisEvents == null ? new LiveHub() : new LiveHub(redisEvents);
        if (redisEvents != null) redisEvents.deliverTo(hub);
        this.writers = writers;
        this.scheduler = scheduler;
    }

    /** Starts a server; throws {@link StoreUnavailableException} when Redis is configured but unreachable. */
    public static MusicShareServer start(Settings settings, Clock clock) {
        return start(settings, clock, LiveLimits.defaults());
    }

    public static MusicShareServer start(Settings settings, Clock clock, LiveLimits liveLimits) {
        ShareMetrics metrics = ShareMetrics.prometheus();
        ShareStore store = openStore(settings, metrics);
        // With Redis, push events travel over its pub/sub so that listeners on every node hear them.
        RedisShareEvents redisEvents = settings.redisUrl() == null ? null : new RedisShareEvents(settings.redisUrl());
        MusicShareServer server = new MusicShareServer(metrics, store, redisEvents, WriterThreads.create(),
                Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "music-share-upkeep");
                    thread.setDaemon(true);
                    return thread;
                }));
        try {
            server.run(settings, clock, liveLimits);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void run(Settings settings, Clock clock, LiveLimits liveLimits) {
        ShareEvents events = redisEvents == null ? new LocalShareEvents(hub) : redisEvents;
        ShareService shares = new ShareService(store, clock, settings.store().maxSessions(),
                settings.requireSenderKey(), events, metrics);
        PushRoutes push = new PushRoutes(shares, hub, new PushResources(liveLimits, writers, metrics));
        http = HttpApi.create(shares, settings, clock, push, inFlight, metrics).start();
        metrics.gauge("musicshare.sessions.active", "Active sessions, across all nodes", shares::liveSessionCount);
        metrics.gauge("musicshare.push.connections", "Push listeners connected to this node", hub::connectionCount);
        metrics.gauge("musicshare.listeners", "Listeners across all live sessions and nodes",
                () -> shares.liveSessionStats().stream().mapToInt(SessionStats::listeners).sum());
        scheduler.scheduleWithFixedDelay(() -> sweep(shares), SWEEP_INTERVAL_MILLIS, SWEEP_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> releaseHeldAudio(shares), RELEASE_CHECK_MILLIS, RELEASE_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
        new LiveMaintenance(hub, shares).schedule(scheduler, liveLimits);
        log.atInfo().addKeyValue("port", port()).addKeyValue("store", store.kind())
                .addKeyValue("maxSessions", settings.store().maxSessions()).log("music share listening");
    }

    public int port() {
        return http.port();
    }

    /** Every route served, as "METHOD /path" (WebSocket upgrades as GET), for the API description's test. */
    public java.util.List<String> routes() {
        java.util.List<String> routes = new java.util.ArrayList<>();
        for (var entry : http.unsafe.internalRouter.allHttpHandlers()) {
            var method = entry.endpoint.method;
            if (method.isHttpMethod() && method != io.javalin.http.HandlerType.OPTIONS) {
                routes.add(method.name() + " " + entry.endpoint.path);
            }
        }
        for (var entry : http.unsafe.internalRouter.allWsHandlers()) {
            if (entry.getType() == io.javalin.websocket.WsHandlerType.WEBSOCKET) routes.add("GET " + entry.getPath());
        }
        return routes;
    }

    /** Push connections open on this node. */
    public int pushConnections() {
        return hub.connectionCount();
    }

    /** Requests being handled now (push streams not counted): what a shutdown waits for. */
    public int requestsInFlight() {
        return inFlight.count();
    }

    /**
     * Stops accepting connections, tells push listeners this node is going away ({@code reconnect}: they come back
     * with {@code since}, to another node if there is one), lets requests in flight finish (at most a few seconds),
     * then stops HTTP and releases the store.
     */
    @Override
    public void close() {
        scheduler.shutdownNow();
        if (http != null) stopAccepting();
        LiveEvent goingAway = LiveEvent.reconnect("server shutting down");
        for (String sessionId : hub.watchedSessions()) {
            hub.connections(sessionId).forEach(connection -> connection.finish(goingAway));
        }
        awaitPushClosed(Duration.ofSeconds(2));
        if (!inFlight.awaitIdle(SHUTDOWN_PATIENCE)) {
            log.warn("stopping with {} requests still in flight after {}", inFlight.count(), SHUTDOWN_PATIENCE);
        }
        if (http != null) http.stop();
        writers.shutdownNow();
        if (redisEvents != null) redisEvents.close();
        store.close();
        log.info("music share stopped");
    }

    private void stopAccepting() {
        for (var connector : http.jettyServer().server().getConnectors()) {
            try {
                if (connector instanceof org.eclipse.jetty.server.NetworkConnector network) network.close();
            } catch (RuntimeException e) {
                log.warn("connector not closed: {}", e.getMessage());
            }
        }
    }

    private void awaitPushClosed(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (hub.connectionCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static ShareStore openStore(Settings settings, ShareMetrics metrics) {
        if (settings.redisUrl() == null) return new MemoryShareStore(settings.store());
        return new RedisShareStore(new RedisOptions(settings.redisUrl(), settings.redisTimeout(),
                settings.redisConnections(), settings.redisChunkCacheBytes()).withReleasedAudioPublished(),
                settings.store(), metrics);
    }

    private void releaseHeldAudio(ShareService shares) {
        try {
            shares.releaseDueAudio();
        } catch (RuntimeException e) {
            log.warn("held audio not released: {}", e.getMessage());
        }
    }

    private void sweep(ShareService shares) {
        try {
            shares.expireIdleSessions();
            if (sweepFailing) log.info("expiry sweep recovered: the store answers again");
            sweepFailing = false;
        } catch (StoreUnavailableException e) {
            if (!sweepFailing) log.warn("expiry sweep paused: {}", e.getMessage());
            sweepFailing = true;
        } catch (RuntimeException e) {
            log.error("expiry sweep failed", e);
        }
    }
}
