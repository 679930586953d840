package dev.musicshare.redis;

import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.redis.RedisScripts.Script;
import dev.musicshare.store.StoreFullException;
import dev.musicshare.store.StoreUnavailableException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How the store's parts call Redis: over a few connections taken in turn ({@link RedisConnections}), each call
 * timed (the {@code musicshare.store.operation} metric) and waited for at most the command timeout, and every
 * failure turned into the store's own exceptions — {@link StoreFullException} for a write a full Redis refused,
 * {@link StoreUnavailableException} for anything else. The same on a single Redis, a Sentinel setup and a cluster
 * ({@link RedisConnector#forCommands}).
 */
final class RedisCalls implements AutoCloseable {
    private final AbstractRedisClient client;
    private final RedisConnections connections;
    private final RedisScripts scripts;
    private final Duration timeout;
    private final ShareMetrics metrics;
    private final ReplicaWait replicaWait;
    /**
     * Connections of their own for writes that wait for replicas (null without {@code REDIS_WAIT_REPLICAS}): WAIT
     * blocks the connection it is sent on, so behind it on a shared one every read would wait for replicas too — up
     * to the WAIT timeout while a replica is away.
     */
    private final RedisConnections waitingWrites;
    /** On a Sentinel setup, what moves the connections to a newly promoted master at once (else null). */
    private final SentinelSwitches switches;

    /** Connects at once: an unreachable Redis at start-up is a configuration error, reported as such. */
    RedisCalls(RedisOptions options, ShareMetrics metrics) {
        this(options, metrics, "Redis command");
    }

    /**
     * Connects at once: an unreachable Redis at start-up is a configuration error, reported as such.
     *
     * @param what whose calls these are, in the log's lines about Redis outages ("store", "recording lease")
     */
    RedisCalls(RedisOptions options, ShareMetrics metrics, String what) {
        this.timeout = options.timeout();
        this.metrics = metrics;
        this.replicaWait = options.replicaWait();
        this.client = RedisConnector.forCommands(options, what);
        try {
            connections = new RedisConnections(client, options.connections());
        } catch (RedisException e) {
            RedisConnector.shutdown(client);
            throw StartUpFailure.of(RedisUrl.parse(options.url()), "", e);
        }
        try {
            waitingWrites = replicaWait.enabled() ? new RedisConnections(client, options.connections()) : null;
        } catch (RedisException e) {
            connections.close();
            RedisConnector.shutdown(client);
            throw StartUpFailure.of(RedisUrl.parse(options.url()), "", e);
        }
        scripts = new RedisScripts(connections::next);
        List<StatefulConnection<?, ?>> followers = new ArrayList<>(connections.all());
        if (waitingWrites != null) followers.addAll(waitingWrites.all());
        switches = client instanceof RedisClient single ? SentinelSwitches.watch(single,
                RedisUrl.parse(options.url()), timeout, what, followers) : null;
    }

    /**
     * The next connection's commands, for a plain command; wait for its reply with {@link #await}. The type is what
     * a single Redis's and a cluster's commands share: on a cluster a command goes to its first key's master, so a
     * command here names keys of one slot only.
     */
    RedisClusterAsyncCommands<byte[], byte[]> next() {
        return connections.next();
    }

    /** Runs one of the store's scripts and waits for its reply. */
    <T> T script(String operation, Script script, ScriptOutputType type, byte[][] keys, Object... args) {
        return await(operation, scripts.run(script, type, keys, args(args)));
    }

    /**
     * Runs a script whose write acknowledges a sender's request (a chunk, a start, a stop). With
     * {@code REDIS_WAIT_REPLICAS} = N it then sends {@code WAIT N timeout} on the same connection — WAIT counts the
     * writes of the client it is sent by, and a master's replication stream is one sequence, so this covers every
     * write the node made to that master before — and returns only once N replicas hold the write.
     *
     * @throws StoreUnavailableException also when fewer than N replicas acknowledged within the WAIT timeout: the
     *         write stays on the master (and may already have reached listeners), a retry of it is harmless
     */
    <T> T durableScript(String operation, Script script, ScriptOutputType type, byte[][] keys, Object... args) {
        if (waitingWrites == null) return script(operation, script, type, keys, args);
        // On a cluster, the connection to the master of the keys' slot itself: a keyless WAIT sent through the
        // cluster connection would go to some other node and count nothing of this write.
        RedisConnections.Pinned pinned = waitingWrites.nextFor(keys[0]);
        RedisClusterAsyncCommands<byte[], byte[]> connection = pinned.commands();
        long dropsBefore = pinned.drops().getAsLong();
        CompletionStage<T> written = scripts.run(connection, script, type, keys, args(args));
        return await(operation, written.thenCompose(result -> {
            long began = System.nanoTime();
            return connection.waitForReplication(replicaWait.replicas(), replicaWait.timeout().toMillis())
                    .thenApply(acknowledged -> {
                        metrics.storeOperation("replica-wait").record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
                        if (pinned.drops().getAsLong() != dropsBefore) {
                            // The WAIT ran over a new channel, maybe on a new master that never had the write.
                            throw new IllegalStateException("the connection dropped between the write and its WAIT:"
                                    + " the replicas it counted may not hold the write (REDIS_WAIT_REPLICAS)");
                        }
                        if (acknowledged < replicaWait.replicas()) {
                            throw new IllegalStateException("only " + acknowledged + " of " + replicaWait.replicas()
                                    + " replicas acknowledged the write within " + replicaWait.timeout().toMillis()
                                    + " ms (REDIS_WAIT_REPLICAS)");
                        }
                        return result;
                    });
        }));
    }

    /**
     * Runs one of the store's scripts without waiting: the reply (or failure) completes the future, which the
     * caller must not block on. Timed like {@link #script}.
     */
    <T> CompletableFuture<T> scriptAsync(String operation, Script script, ScriptOutputType type, byte[][] keys,
            Object... args) {
        long began = System.nanoTime();
        return scripts.<T>run(script, type, keys, args(args)).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((result, error) -> {
                    if (error == null) {
                        metrics.storeOperation(operation).record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
                    }
                });
    }

    /**
     * Asks every master serving slots on a cluster whether it serves (CLUSTER INFO, at once, each within the command
     * timeout), or PINGs the one Redis otherwise: a cluster's single PING goes to whichever node the client picks,
     * which said nothing of the others, and a master answers PING even while the cluster is down.
     *
     * @return the masters ({@code host:port}) that did not answer or said {@code cluster_state} is not {@code ok};
     *         empty when all serve
     * @throws StoreUnavailableException when none serves
     */
    List<String> pingEach() {
        Map<String, CompletableFuture<String>> pings = connections.pingEach();
        List<String> unreachable = new ArrayList<>();
        StoreUnavailableException last = null;
        for (Map.Entry<String, CompletableFuture<String>> ping : pings.entrySet()) {
            try {
                await("ping", ping.getValue());
            } catch (StoreUnavailableException e) {
                unreachable.add(ping.getKey());
                last = e;
            }
        }
        if (last != null && unreachable.size() == pings.size()) throw last;
        return unreachable;
    }

    /** Waits for a reply, at most the command timeout. */
    <T> T await(String operation, CompletionStage<T> reply) {
        long began = System.nanoTime();
        var future = reply.toCompletableFuture();
        try {
            T result = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            metrics.storeOperation(operation).record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
            return result;
        } catch (ExecutionException e) {
            if (isOutOfMemory(e.getCause())) {
                throw new StoreFullException("Redis refused the " + operation + " write: it is out of memory ("
                        + e.getCause().getMessage() + ")", e.getCause());
            }
            if (switches != null && isReadOnly(e.getCause())) switches.readOnlyAnswered();
            throw new StoreUnavailableException("Redis " + operation + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreUnavailableException("Redis " + operation + " timed out after " + timeout.toMillis()
                    + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for Redis " + operation, e);
        }
    }

    @Override
    public void close() {
        if (switches != null) switches.close();
        connections.close();
        if (waitingWrites != null) waitingWrites.close();
        RedisConnector.shutdown(client);
    }

    /** Redis's answer to a write while used memory is over maxmemory and nothing may be evicted. */
    private static boolean isOutOfMemory(Throwable error) {
        return error instanceof RedisCommandExecutionException && error.getMessage() != null
                && error.getMessage().startsWith("OOM");
    }

    /** A replica's answer to a write: the connection is not on the master. */
    private static boolean isReadOnly(Throwable error) {
        return error instanceof RedisCommandExecutionException && error.getMessage() != null
                && error.getMessage().startsWith("READONLY");
    }

    /** Script arguments as Redis takes them: bytes as they are, anything else as its decimal or text form. */
    private static byte[][] args(Object... values) {
        byte[][] args = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            args[i] = values[i] instanceof byte[] raw ? raw : String.valueOf(values[i]).getBytes(StandardCharsets.UTF_8);
        }
        return args;
    }
}
