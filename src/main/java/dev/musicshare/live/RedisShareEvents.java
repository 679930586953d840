package dev.musicshare.live;

import dev.musicshare.share.Metadata;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.ShareEvents;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push events across nodes: each is published once to the session's Redis channel, and every node with listeners
 * for that session is subscribed to it and fans it out locally — the publishing node included, so every listener
 * hears events by the same path and in the same order. The channel name carries the session's hash tag, so moving to
 * sharded pub/sub (SPUBLISH/SSUBSCRIBE) on a cluster keeps it in the session's slot.
 *
 * <p>Wire format: one type byte ({@code M} metadata JSON, {@code A} 8-byte sequence number then chunk JSON,
 * {@code E} end reason), then the payload.
 */
public final class RedisShareEvents implements ShareEvents, SessionWatcher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisShareEvents.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final byte METADATA = 'M';
    private static final byte AUDIO = 'A';
    private static final byte ENDED = 'E';

    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> publisher;
    private final StatefulRedisPubSubConnection<String, byte[]> subscriber;
    private final ConcurrentHashMap<String, CompletableFuture<?>> subscriptions = new ConcurrentHashMap<>();
    private volatile LiveHub hub;

    public RedisShareEvents(String redisUrl) {
        client = RedisClient.create(redisUrl);
        client.setOptions(ClientOptions.builder().autoReconnect(true).build());
        publisher = client.connect(CODEC);
        subscriber = client.connectPubSub(CODEC);
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                deliver(channel, message);
            }
        });
    }

    /** The hub that receives this node's share of the events; set once, before any listener connects. */
    public void deliverTo(LiveHub hub) {
        this.hub = hub;
    }

    @Override
    public void metadataChanged(SessionId id, Metadata metadata) {
        publish(id, METADATA, LiveEvents.metadata(id, metadata).json());
    }

    @Override
    public void audioReleased(SessionId id, long sequenceNumber, byte[] chunkJson) {
        publish(id, AUDIO, ByteBuffer.allocate(Long.BYTES + chunkJson.length).putLong(sequenceNumber).put(chunkJson)
                .array());
    }

    @Override
    public void sessionEnded(SessionId id, EndReason reason) {
        publish(id, ENDED, reason.wireName().getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public CompletableFuture<?> watch(String sessionId) {
        return subscriptions.computeIfAbsent(sessionId,
                id -> subscriber.async().subscribe(channel(id)).toCompletableFuture());
    }

    @Override
    public void unwatch(String sessionId) {
        if (subscriptions.remove(sessionId) != null) subscriber.async().unsubscribe(channel(sessionId));
    }

    @Override
    public void close() {
        subscriber.close();
        publisher.close();
        client.shutdown();
    }

    static String channel(String sessionId) {
        return "session:{" + sessionId + "}:events";
    }

    private void publish(SessionId id, byte type, byte[] payload) {
        byte[] message = new byte[payload.length + 1];
        message[0] = type;
        System.arraycopy(payload, 0, message, 1, payload.length);
        publisher.async().publish(channel(id.value()), message).whenComplete((receivers, error) -> {
            if (error != null) log.atWarn().addKeyValue("sessionId", id).log("live event not published: {}", error.getMessage());
        });
    }

    private void deliver(String channel, byte[] message) {
        LiveHub target = hub;
        if (target == null || message.length == 0) return;
        String sessionId = channel.substring("session:{".length(), channel.indexOf('}'));
        byte[] payload = Arrays.copyOfRange(message, 1, message.length);
        LiveEvent event = switch (message[0]) {
            case METADATA -> LiveEvent.of(LiveEvent.METADATA, payload);
            case AUDIO -> LiveEvent.audio(ByteBuffer.wrap(payload).getLong(),
                    Arrays.copyOfRange(payload, Long.BYTES, payload.length));
            case ENDED -> LiveEvent.ended(new String(payload, StandardCharsets.US_ASCII));
            default -> null;
        };
        if (event != null) target.deliver(sessionId, event);
    }
}
