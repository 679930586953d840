package dev.musicshare.redis;

import java.util.concurrent.CompletableFuture;

/**
 * How push events cross Redis between nodes: a message published to a session's channel, and subscriptions to the
 * channels of the sessions a node has listeners for. On a single Redis and a Sentinel setup it is plain pub/sub
 * ({@link PlainPubSub}: PUBLISH, SUBSCRIBE); on a cluster, sharded pub/sub ({@link ShardedPubSub}: SPUBLISH,
 * SSUBSCRIBE), so a message travels only within the shard that owns the session's slot instead of over the whole
 * cluster's bus. Either way the audio script publishes released chunks itself ({@link #publishCommand}).
 */
interface EventTransport extends AutoCloseable {

    /** What a transport hands on; called on the Redis client's event loop, so it must not block. */
    interface Receiver {
        void message(String channel, byte[] message);

        /**
         * Redis confirmed a subscription to {@code channel}: the first time, or again after it had been lost and was
         * renewed — whatever was published in between did not reach this node.
         */
        void subscribed(String channel);
    }

    /** Opens the transport {@code options}' URL calls for, connected at once. */
    static EventTransport open(RedisOptions options, Receiver receiver) {
        RedisUrl url = RedisUrl.parse(options.url());
        return url.kind() == RedisUrl.Kind.CLUSTER ? new ShardedPubSub(url, options.timeout(), receiver)
                : new PlainPubSub(options, receiver);
    }

    /** The command the audio script publishes with on this shape of Redis: PUBLISH, or SPUBLISH on a cluster. */
    static String publishCommand(RedisUrl.Kind kind) {
        return kind == RedisUrl.Kind.CLUSTER ? "SPUBLISH" : "PUBLISH";
    }

    /** Publishes one message; the future completes when Redis took it. */
    CompletableFuture<?> publish(String channel, byte[] message);

    /** Subscribes (once per channel); the future completes when Redis first confirms the subscription. */
    CompletableFuture<?> subscribe(String channel);

    void unsubscribe(String channel);

    @Override
    void close();
}
