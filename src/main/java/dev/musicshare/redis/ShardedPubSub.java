package dev.musicshare.redis;

import dev.musicshare.store.StoreUnavailableException;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * Sharded pub/sub on a Redis Cluster: SPUBLISH reaches only the shard (master and replicas) that owns the channel's
 * slot, and each channel is subscribed with SSUBSCRIBE on that shard's master. A session's channel carries its hash
 * tag ({@link EventCodec#channel}), so its events stay on the shard holding its keys, and a cluster of N shards
 * carries each event on one of them instead of broadcasting it to every node.
 *
 * <p>Lettuce routes each SSUBSCRIBE to the slot's master but does not keep sharded subscriptions across changes of
 * the cluster: it renews a node connection's channels in one SSUBSCRIBE, which Redis refuses when they span slots
 * (CROSSSLOT), and it follows neither a failover nor a slot migration (Redis then ends the subscriptions of the slot
 * with an unsolicited SUNSUBSCRIBE). So this class keeps the channels it wants, and where Redis confirmed each, and
 * subscribes a channel again, alone, whenever that confirmation stops holding:
 * <ul>
 *   <li>Redis ended it (SUNSUBSCRIBE that was not ours: the slot moved, or the node became a replica);</li>
 *   <li>the connection to the node it was confirmed on dropped (a blip, a killed client, a dead master);</li>
 *   <li>the topology changed and another master owns its slot (a failover, a migration).</li>
 * </ul>
 * Each renewal goes to whichever master owns the slot by then, and is tried again every {@link #RENEW_EVERY} until
 * Redis confirms it. Every confirmation after the first is handed on as a resumption, so the session's listeners are
 * reconciled from the store (nothing published meanwhile is kept by Redis).
 */
final class ShardedPubSub implements EventTransport {
    private static final Logger log = LoggerFactory.getLogger(ShardedPubSub.class);
    /** How often channels whose subscription is not in effect are subscribed again. */
    static final Duration RENEW_EVERY = Duration.ofMillis(500);

    /** Where a confirmation came from when the topology names no node for it; the next topology change renews it. */
    private static final RedisURI UNKNOWN_NODE = RedisURI.create("redis://unknown-node:1");

    private final RedisClusterClient client;
    private final Duration timeout;
    private final Receiver receiver;
    private final StatefulRedisClusterConnection<String, byte[]> publisher;
    private final StatefulRedisClusterPubSubConnection<String, byte[]> subscriber;
    /** The channels this node wants, each with where Redis confirmed it. */
    private final ConcurrentHashMap<String, Subscription> wanted = new ConcurrentHashMap<>();
    /** Where each pub/sub connection is connected, to know which confirmations a dropped connection takes along. */
    private final Map<RedisChannelHandler<?, ?>, SocketAddress> connectedTo = new ConcurrentHashMap<>();
    private final Disposable topologyChanges;
    private final ScheduledFuture<?> renewals;

    /** One wanted channel. */
    private static final class Subscription {
        final CompletableFuture<Void> firstConfirmed = new CompletableFuture<>();
        /** The node whose confirmation is in effect; null while the subscription is not (yet, or any more). */
        volatile RedisURI confirmedAt;
        final AtomicBoolean asking = new AtomicBoolean();
    }

    /** Connects at once (a cluster connection to publish, a cluster pub/sub connection to subscribe). */
    ShardedPubSub(RedisUrl url, Duration timeout, Receiver receiver) {
        this.timeout = timeout;
        this.receiver = receiver;
        client = RedisConnector.clusterForCommands(url, timeout, "live events");
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                if (connection instanceof StatefulRedisPubSubConnection<?, ?>) connectedTo.put(connection, address);
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                SocketAddress address = connectedTo.get(connection);
                if (address != null) lost(address);
            }
        });
        try {
            publisher = client.connect(PlainPubSub.CODEC);
            RedisConnections.openToMasters(publisher);
            subscriber = client.connectPubSub(PlainPubSub.CODEC);
            // As for commands: a node connection still opening refuses the first SSUBSCRIBE (then renewed only
            // RENEW_EVERY later), so the first listener of a session would wait that long.
            for (RedisClusterNode node : subscriber.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                    subscriber.getConnection(node.getUri().getHost(), node.getUri().getPort());
                }
            }
        } catch (RedisException e) {
            RedisConnector.shutdown(client);
            throw StartUpFailure.of(url, " for live events", e);
        }
        subscriber.addListener(new RedisClusterPubSubAdapter<>() {
            @Override
            public void smessage(RedisClusterNode node, String channel, byte[] message) {
                receiver.message(channel, message);
            }

            @Override
            public void ssubscribed(RedisClusterNode node, String channel, long count) {
                confirmed(channel, node);
            }

            @Override
            public void sunsubscribed(RedisClusterNode node, String channel, long count) {
                ended(channel);
            }
        });
        topologyChanges = client.getResources().eventBus().get()
                .filter(ClusterTopologyChangedEvent.class::isInstance).subscribe(event -> topologyChanged());
        renewals = client.getResources().eventExecutorGroup().scheduleWithFixedDelay(this::renewLost,
                RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<?> publish(String channel, byte[] message) {
        return publisher.async().spublish(channel, message).toCompletableFuture();
    }

    @Override
    public CompletableFuture<?> subscribe(String channel) {
        Subscription subscription = wanted.computeIfAbsent(channel, c -> new Subscription());
        ask(channel, subscription);
        return subscription.firstConfirmed;
    }

    /** Forgets the channel first, so that Redis's confirmation of the SUNSUBSCRIBE is not taken for a loss. */
    @Override
    public void unsubscribe(String channel) {
        if (wanted.remove(channel) != null) subscriber.async().sunsubscribe(channel);
    }

    @Override
    public void close() {
        topologyChanges.dispose();
        renewals.cancel(false);
        subscriber.close();
        publisher.close();
        RedisConnector.shutdown(client);
    }

    /** Sends SSUBSCRIBE for one channel unless one is under way; its slot decides the master it goes to. */
    private void ask(String channel, Subscription subscription) {
        if (!subscription.asking.compareAndSet(false, true)) return;
        subscriber.async().ssubscribe(channel).toCompletableFuture().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((done, error) -> {
                    subscription.asking.set(false);
                    if (error != null) {
                        log.atDebug().addKeyValue("channel", channel).log("sharded subscription not confirmed yet: {}",
                                error.getMessage());
                    }
                });
    }

    private void confirmed(String channel, RedisClusterNode node) {
        Subscription subscription = wanted.get(channel);
        if (subscription == null) return; // unsubscribed meanwhile
        subscription.confirmedAt = node != null ? node.getUri() : ownerOf(channel);
        subscription.firstConfirmed.complete(null);
        receiver.subscribed(channel);
    }

    /** Redis ended a subscription we still want: its slot left that node. Subscribed again where it went. */
    private void ended(String channel) {
        Subscription subscription = wanted.get(channel);
        if (subscription == null) return; // our own SUNSUBSCRIBE
        subscription.confirmedAt = null;
        log.atInfo().addKeyValue("channel", channel).log("sharded subscription ended by Redis; subscribing again");
        ask(channel, subscription);
    }

    /** A pub/sub connection dropped: the subscriptions confirmed on that node are no longer in effect. */
    private void lost(SocketAddress address) {
        wanted.forEach((channel, subscription) -> {
            RedisURI at = subscription.confirmedAt;
            if (at != null && sameNode(at, address)) subscription.confirmedAt = null;
        });
    }

    /** Subscriptions confirmed on a node that no longer owns their slot are asked for again on its new owner. */
    private void topologyChanged() {
        wanted.forEach((channel, subscription) -> {
            RedisURI at = subscription.confirmedAt;
            if (at != null && !sameNode(at, ownerOf(channel))) {
                subscription.confirmedAt = null;
                ask(channel, subscription);
            }
        });
    }

    /** The master owning the channel's slot as this client sees it; a placeholder when it knows none. */
    private RedisURI ownerOf(String channel) {
        RedisClusterNode owner = subscriber.getPartitions().getPartitionBySlot(SlotHash.getSlot(channel));
        return owner != null ? owner.getUri() : UNKNOWN_NODE;
    }

    private void renewLost() {
        wanted.forEach((channel, subscription) -> {
            if (subscription.confirmedAt == null) ask(channel, subscription);
        });
    }

    private static boolean sameNode(RedisURI a, RedisURI b) {
        return a.getPort() == b.getPort() && a.getHost().equals(b.getHost());
    }

    private static boolean sameNode(RedisURI node, SocketAddress address) {
        if (!(address instanceof InetSocketAddress socket) || socket.getPort() != node.getPort()) return false;
        return socket.getHostString().equals(node.getHost())
                || socket.getAddress() != null && socket.getAddress().getHostAddress().equals(node.getHost());
    }
}
