package dev.musicshare.redis;

import dev.musicshare.store.StoreUnavailableException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Plain pub/sub on a single Redis or a Sentinel setup's master: one connection publishes, one subscribes. The client
 * renews every subscription by itself when it reconnects (to the new master after a failover), and Redis confirms
 * each one again, which is what tells the {@link EventTransport.Receiver} that events may have been lost. A master
 * that stalls rather than dies keeps the connections open: {@link SentinelSwitches} moves them on the promotion.
 */
final class PlainPubSub implements EventTransport {
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> publisher;
    private final StatefulRedisPubSubConnection<String, byte[]> subscriber;
    /** On a Sentinel setup, what moves both connections to a newly promoted master at once (else null). */
    private final SentinelSwitches switches;

    /** Connects at once (a publishing and a subscribing connection). */
    PlainPubSub(RedisOptions options, Receiver receiver) {
        client = RedisConnector.forEvents(options);
        try {
            publisher = client.connect(CODEC);
            subscriber = client.connectPubSub(CODEC);
        } catch (RedisException e) {
            RedisConnector.shutdown(client);
            throw StartUpFailure.of(RedisUrl.parse(options.url()), " for live events", e);
        }
        switches = SentinelSwitches.watch(client, RedisUrl.parse(options.url()), options.timeout(), "live events",
                List.of(publisher, subscriber));
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                receiver.message(channel, message);
            }

            @Override
            public void subscribed(String channel, long count) {
                receiver.subscribed(channel);
            }
        });
    }

    @Override
    public CompletableFuture<?> publish(String channel, byte[] message) {
        return publisher.async().publish(channel, message).toCompletableFuture();
    }

    @Override
    public CompletableFuture<?> subscribe(String channel) {
        return subscriber.async().subscribe(channel).toCompletableFuture();
    }

    @Override
    public void unsubscribe(String channel) {
        subscriber.async().unsubscribe(channel);
    }

    @Override
    public void close() {
        if (switches != null) switches.close();
        subscriber.close();
        publisher.close();
        RedisConnector.shutdown(client);
    }
}
