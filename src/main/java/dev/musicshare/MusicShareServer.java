package dev.musicshare;

import dev.musicshare.api.HttpApi;
import dev.musicshare.api.InFlightRequests;
import dev.musicshare.backend.Backend;
import dev.musicshare.backend.Backends;
import dev.musicshare.config.Settings;
import dev.musicshare.history.SessionHistory;
import dev.musicshare.live.LiveEvent;
import dev.musicshare.live.LiveHub;
import dev.musicshare.live.LiveMaintenance;
import dev.musicshare.live.LiveReconciler;
import dev.musicshare.live.PushResources;
import dev.musicshare.live.PushRoutes;
import dev.musicshare.live.WriterThreads;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.opuspush.OpusPushService;
import dev.musicshare.recording.Recordings;
import dev.musicshare.share.ExpirySweep;
import dev.musicshare.share.ListenerTokens;
import dev.musicshare.share.SessionObserver;
import dev.musicshare.share.SessionStats;
import dev.musicshare.share.ShareService;
import dev.musicshare.store.StoreUnavailableException;
import dev.musicshare.stream.OpusStreams;
import dev.musicshare.stream.StreamRoutes;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.server.NetworkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: opens the backend ({@link Backends}: the store, its events and the live hub), builds the
 * domain and the HTTP API, schedules their upkeep, and shuts them down in order. The CLI and the HTTP tests both start the server through {@link #start}, so tests
 * exercise exactly the production wiring.
 */
public final class MusicShareServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MusicShareServer.class);
    /** How long a shutdown waits for push listeners to take their reconnect notice. */
    private static final Duration PUSH_FAREWELL_PATIENCE = Duration.ofSeconds(2);
    /** How long a shutdown waits for requests in flight. */
    private static final Duration SHUTDOWN_PATIENCE = Duration.ofSeconds(5);

    private final ShareMetrics metrics = ShareMetrics.prometheus();
    private final InFlightRequests inFlight = new InFlightRequests();
    private final ExecutorService writers = WriterThreads.create();
    private final ScheduledExecutorService upkeep = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "music-share-upkeep");
        thread.setDaemon(true);
        return thread;
    });
    private Backend backend;
    private LiveHub hub = new LiveHub(); // until the backend's is there: a failed start closes this one
    private SessionHistory history;
    private Recordings recordings;
    private Javalin http;

    private MusicShareServer() {}

    /** Starts a server; throws {@link StoreUnavailableException} when Redis is configured but unreachable. */
    public static MusicShareServer start(Settings settings, Clock clock) {
        MusicShareServer server = new MusicShareServer();
        try {
            server.run(settings, clock);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void run(Settings settings, Clock clock) {
        requireListenable(settings.bindAddress(), settings.port());
        backend = Backends.open(settings, metrics);
        hub = backend.hub();
        // On the memory store a session lives and dies with this process; on Redis it outlives any one node.
        if (settings.history().enabled()) {
            history = SessionHistory.open(settings.history(), clock, settings.redisUrl() == null, metrics);
        } else {
            log.info("session history off (HISTORY=off): no database is opened");
        }
        SessionObserver observer = history == null ? SessionObserver.NONE : history.observer();
        ShareService shares = new ShareService(backend.store(), clock, settings.store().maxSessions(),
                settings.requireSenderKey(), backend.events(), metrics, observer);
        hub.reconcileWith(new LiveReconciler(shares, writers, upkeep));
        PushResources pushResources = new PushResources(settings.push(), writers, metrics, observer);
        PushRoutes push = new PushRoutes(shares, hub, pushResources);
        OpusStreams opus = new OpusStreams(shares, hub, pushResources, settings.opus());
        OpusPushService opusPush = new OpusPushService(opus);
        push.serveOpusWith(opusPush);
        recordings = new Recordings(settings.recording(), opus, shares, backend.recordingLeases(), clock, metrics);
        http = HttpApi.create(shares, settings, clock, push, new StreamRoutes(shares, opus,
                new ListenerTokens(settings.bearerToken())), inFlight, metrics,
                history == null ? null : history.queries(), backend.rateLimits(), recordings).start();
        recordings.schedule(upkeep);
        if (history != null) history.start(shares::liveSessionStats);
        metrics.gauge("musicshare.opus.listeners", "Listeners receiving Opus on this node, by how (stream.ogg, push)",
                Tags.of("transport", "stream"), opus::streamListenerCount);
        metrics.gauge("musicshare.opus.listeners", "Listeners receiving Opus on this node, by how (stream.ogg, push)",
                Tags.of("transport", "push"), opusPush::listenerCount);
        metrics.gauge("musicshare.opus.sessions.encoding", "Sessions this node encodes to Opus now",
                opus::encodingSessions);
        opus.schedule(upkeep);
        metrics.gauge("musicshare.sessions.active", "Active sessions, across all nodes", shares::liveSessionCount);
        metrics.gauge("musicshare.push.connections", "Push listeners connected to this node", hub::connectionCount);
        metrics.gauge("musicshare.listeners", "Listeners across all live sessions and nodes",
                () -> shares.liveSessionStats().stream().mapToInt(SessionStats::listeners).sum());
        new ExpirySweep(shares).schedule(upkeep);
        shares.heldAudio().schedule(upkeep);
        new LiveMaintenance(hub, shares).schedule(upkeep, settings.push());
        log.atInfo().addKeyValue("port", port()).addKeyValue("store", backend.kind())
                .addKeyValue("maxSessions", settings.store().maxSessions()).log("music share listening");
    }

    /**
     * Binds the address and port for a moment, before anything is opened, created or logged: a port in use (or an
     * address not of this machine) must stop start-up with the one line the README promises, not after the history
     * database was created and announced. The socket is closed at once, with SO_REUSEADDR as Jetty binds, so the
     * real bind just after is not refused by it. (Another process may still take the port in between; Jetty's own
     * bind then fails the same way.)
     *
     * @throws UncheckedIOException whose cause is the {@link java.net.BindException}
     */
    private static void requireListenable(String address, int port) {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            probe.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ":" + port, e);
        }
    }

    public int port() {
        return http.port();
    }

    /** The running HTTP application (its routes are what the API description's test compares against). */
    public Javalin http() {
        return http;
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
        upkeep.shutdownNow();
        if (http != null) stopAccepting();
        hub.finishAll(LiveEvent.reconnect("server shutting down"), PUSH_FAREWELL_PATIENCE);
        if (!inFlight.awaitIdle(SHUTDOWN_PATIENCE)) {
            log.warn("stopping with {} requests still in flight after {}", inFlight.count(), SHUTDOWN_PATIENCE);
        }
        if (http != null) http.stop();
        writers.shutdownNow();
        if (recordings != null) recordings.close(); // after the feeds: their last frames are queued by now
        if (history != null) history.close(); // before the store: it reads the sessions that end with this server
        if (backend != null) backend.close();
        if (http != null) log.info("music share stopped"); // a server that never listened did not stop
    }

    private void stopAccepting() {
        for (var connector : http.jettyServer().server().getConnectors()) {
            try {
                if (connector instanceof NetworkConnector network) network.close();
            } catch (RuntimeException e) {
                log.warn("connector not closed: {}", e.getMessage());
            }
        }
    }
}
