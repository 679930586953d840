package dev.musicshare.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Builds the Lettuce clients a node talks to Redis through, from its {@link RedisOptions}: one for commands (the
 * store) and one for pub/sub (push events). Both reconnect by themselves. On a Sentinel setup the client asks the
 * sentinels for the master on every (re)connect, so after a failover it finds the new master by itself. On a
 * cluster it is a {@link RedisClusterClient}, which routes each command to the master of its key's slot and follows
 * the cluster's topology ({@link #topologyRefresh}).
 */
final class RedisConnector {
    static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);
    /**
     * How often a cluster client re-reads the topology unprompted. Between these reads it re-reads it at once on any
     * sign of change ({@link #topologyRefresh}); this catches what gives no sign, such as a replica added.
     */
    static final Duration PERIODIC_TOPOLOGY_REFRESH = Duration.ofSeconds(10);
    /**
     * The least time between two topology reads prompted by signs of change. Lettuce's default is 30 s: after a
     * master dies the first sign (reconnects failing) comes before the cluster has promoted its replica, and the read
     * it prompts still shows the dead master; with 30 s the node would keep sending that shard's commands nowhere
     * (503) for half a minute after the replica took over.
     */
    static final Duration ADAPTIVE_REFRESH_SPACING = Duration.ofSeconds(1);

    private RedisConnector() {}

    /**
     * For commands: while Redis is unreachable they are rejected at once rather than queued, and each fails after
     * the configured timeout, so a request answers 503 within {@code REDIS_TIMEOUT_MS}. {@code what} names them in
     * the log's lines about outages ({@link RedisReachability}).
     */
    static AbstractRedisClient forCommands(RedisOptions options, String what) {
        RedisUrl url = RedisUrl.parse(options.url());
        if (url.kind() == RedisUrl.Kind.CLUSTER) return clusterForCommands(url, options.timeout(), what);
        RedisClient client = RedisReachability.reported(
                RedisClient.create(resources(), RedisUris.of(url, options.timeout()).get(0)), what);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(options.timeout()))
                .build());
        return client;
    }

    /**
     * A cluster client for commands, as {@link #forCommands} but routing each command to its slot's master: a shard
     * whose master is away fails its own sessions' commands at once, and the other shards carry on.
     *
     * @param seeds   the seed nodes ({@code redis-cluster://…}); the rest of the cluster is discovered
     * @param timeout how long one command may take
     * @param what    whose connections these are, for the log's lines about outages ({@link RedisReachability})
     */
    static RedisClusterClient clusterForCommands(RedisUrl seeds, Duration timeout, String what) {
        RedisClusterClient client = RedisReachability.reported(
                RedisClusterClient.create(resources(), RedisUris.of(seeds, timeout)), what);
        client.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .topologyRefreshOptions(topologyRefresh())
                .build());
        return client;
    }

    /**
     * How a cluster client keeps its map of slots to masters current: re-read on every sign of change — a MOVED or
     * ASK redirection (a slot migrated), reconnects to a node failing in a row (a master died and its replica is
     * taking over), a slot no node serves, a node it does not know — at most {@link #ADAPTIVE_REFRESH_SPACING} apart,
     * and every {@link #PERIODIC_TOPOLOGY_REFRESH} besides. Connections to nodes that left the cluster are closed.
     */
    static ClusterTopologyRefreshOptions topologyRefresh() {
        return ClusterTopologyRefreshOptions.builder()
                .enableAllAdaptiveRefreshTriggers()
                .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_SPACING)
                .enablePeriodicRefresh(PERIODIC_TOPOLOGY_REFRESH)
                .closeStaleConnections(true)
                .build();
    }

    /**
     * For pub/sub: a subscription asked for while Redis is away is queued and sent on reconnection (the client then
     * also renews every subscription it held), so a listener joining during a blip waits rather than fails. The
     * wait is bounded where it is made ({@link dev.musicshare.live.SessionWatcher#awaitWatching}, publishing).
     */
    static RedisClient forEvents(RedisOptions options) {
        RedisClient client = RedisReachability.reported(RedisClient.create(resources(), uri(options)), "live events");
        client.setOptions(ClientOptions.builder().autoReconnect(true).build());
        return client;
    }

    /**
     * Each client's own threads, with reconnection retried at most {@link #MAX_RECONNECT_DELAY} apart: Lettuce's
     * default backs off to 30 s, which after a failover (a few seconds without a master) would keep a node on 503
     * long after the new master answers.
     */
    static ClientResources resources() {
        return ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
                .build();
    }

    /** Closes a client and the threads {@link #resources} gave it. */
    static void shutdown(AbstractRedisClient client) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        client.getResources().shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** The shape and nodes, never credentials: for logs and errors. */
    static String describe(RedisOptions options) {
        return RedisUrl.parse(options.url()).describe();
    }

    private static RedisURI uri(RedisOptions options) {
        return RedisUris.of(RedisUrl.parse(options.url()), options.timeout()).get(0);
    }
}
