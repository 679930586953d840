package dev.musicshare.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A few multiplexed connections, taken in turn. One connection answers in order, so a read of a whole audio buffer
 * (megabytes, for a listener joining a desktop sender's session) held up every small command queued behind it, and
 * one connection is one event-loop thread encoding and decoding every byte. No command needs another to share its
 * connection: each request waits for its own replies before it sends what depends on them.
 *
 * <p>The commands are {@link RedisClusterAsyncCommands}, what a single Redis's and a cluster's connections have in
 * common. On a cluster each "connection" is Lettuce's cluster connection: one connection per master, each command
 * sent to the master of its first key's slot.
 */
final class RedisConnections implements AutoCloseable {
    private final List<StatefulConnection<byte[], byte[]>> connections = new ArrayList<>();
    private final List<RedisClusterAsyncCommands<byte[], byte[]>> commands = new ArrayList<>();
    /** How often each connection's channel dropped: a reconnect may land on another server (a new master). */
    private final Map<RedisChannelHandler<?, ?>, AtomicLong> drops = new ConcurrentHashMap<>();
    private final AtomicInteger turn = new AtomicInteger();

    /**
     * The connection a write and the WAIT after it go over, and how often its channel had dropped so far: if that
     * changes before WAIT answers, the WAIT may have run on another server than the write (after a failover, on the
     * new master, where it counts none of the write's replicas) and its count says nothing about the write.
     */
    record Pinned(RedisClusterAsyncCommands<byte[], byte[]> commands, LongSupplier drops) {}

    /**
     * Opens {@code count} connections at once; fails, closing what it opened, if any cannot be opened.
     *
     * @param client a {@link RedisClient} or a {@link RedisClusterClient} ({@link RedisConnector#forCommands})
     */
    RedisConnections(AbstractRedisClient client, int count) {
        if (count < 1) throw new IllegalArgumentException("count must be at least 1, was " + count);
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                AtomicLong dropped = drops.get(connection);
                if (dropped != null) dropped.incrementAndGet();
            }
        });
        try {
            for (int i = 0; i < count; i++) {
                if (client instanceof RedisClusterClient cluster) {
                    StatefulRedisClusterConnection<byte[], byte[]> connection = cluster.connect(ByteArrayCodec.INSTANCE);
                    connections.add(connection);
                    openToMasters(connection);
                    commands.add(connection.async());
                } else {
                    StatefulRedisConnection<byte[], byte[]> connection =
                            ((RedisClient) client).connect(ByteArrayCodec.INSTANCE);
                    connections.add(connection);
                    if (connection instanceof RedisChannelHandler<?, ?> handler) drops.put(handler, new AtomicLong());
                    commands.add(connection.async());
                }
            }
        } catch (RedisException e) {
            close();
            throw e;
        }
    }

    /**
     * A cluster connection opens its connection to each master on first use, and with commands rejected while
     * disconnected the first command to a connection still opening fails: open them all now, so the first
     * requests after start-up do not answer 503.
     */
    static void openToMasters(StatefulRedisClusterConnection<?, ?> connection) {
        for (RedisClusterNode node : connection.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                connection.getConnection(node.getUri().getHost(), node.getUri().getPort()); // as slots route
            }
        }
    }

    /** The next connection's commands, in turn. */
    RedisClusterAsyncCommands<byte[], byte[]> next() {
        return commands.get(Math.floorMod(turn.getAndIncrement(), commands.size()));
    }

    /**
     * The next connection's commands for a command on {@code key} that must reach the master of its slot over one
     * known connection (a write and the {@code WAIT} after it): on a single Redis the next connection; on a cluster
     * that connection's own link to the master of the key's slot, which does not follow redirections (during a slot
     * migration the write fails, and the sender's retry goes to the new owner).
     */
    Pinned nextFor(byte[] key) {
        int index = Math.floorMod(turn.getAndIncrement(), connections.size());
        if (!(connections.get(index) instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster)) {
            AtomicLong dropped = drops.get((RedisChannelHandler<?, ?>) connections.get(index));
            return new Pinned(commands.get(index), dropped::get);
        }
        RedisClusterNode master = cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
        if (master == null) throw new RedisException("no master serves the slot of " + new String(key, StandardCharsets.UTF_8));
        // A node's own connection reconnects to that same node only: a WAIT there after a drop still counts the
        // write's replicas, or fails if the node came back as a replica.
        return new Pinned(cluster.getConnection(master.getNodeId()).async(), () -> 0);
    }

    /**
     * A PING to the one Redis (keyed by "redis"), or on a cluster a {@code CLUSTER INFO} to each master serving slots,
     * by {@code host:port} (over each one's own connection, opened without blocking if need be), failing when the
     * master says {@code cluster_state} is not {@code ok}: it then answers CLUSTERDOWN to every command on a key
     * while still answering PING (a master lost without replica, with Redis's default
     * {@code cluster-require-full-coverage yes}, puts every master in that state).
     */
    Map<String, CompletableFuture<String>> pingEach() {
        if (!(connections.get(0) instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster)) {
            return Map.of("redis", commands.get(0).ping().toCompletableFuture());
        }
        Map<String, CompletableFuture<String>> pings = new TreeMap<>();
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM) || node.getSlots().isEmpty()) continue;
            pings.put(node.getUri().getHost() + ":" + node.getUri().getPort(), cluster.getConnectionAsync(
                    node.getNodeId()).thenCompose(connection -> connection.async().clusterInfo())
                    .thenApply(RedisConnections::servingOrThrow));
        }
        return pings;
    }

    /** The CLUSTER INFO reply when it says the cluster serves ({@code cluster_state:ok}). */
    private static String servingOrThrow(String clusterInfo) {
        for (String line : clusterInfo.split("\r?\n")) {
            if (line.startsWith("cluster_state:")) {
                String state = line.substring("cluster_state:".length()).trim();
                if (state.equals("ok")) return clusterInfo;
                throw new RedisException("CLUSTERDOWN the master reports cluster_state:" + state);
            }
        }
        throw new RedisException("CLUSTER INFO named no cluster_state");
    }

    int size() {
        return connections.size();
    }

    /** The connections themselves, for {@link SentinelSwitches} to move to a new master. */
    List<StatefulConnection<byte[], byte[]>> all() {
        return List.copyOf(connections);
    }

    @Override
    public void close() {
        connections.forEach(StatefulConnection::close);
    }
}
