package dev.musicshare.live;

import dev.musicshare.share.AudioChunk;
import dev.musicshare.share.Metadata;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.ShareEvents;
import dev.musicshare.store.RedisShareStore;
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
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push events across nodes: each is published once to the session's Redis channel, and every node with listeners
 * for that session is subscribed to it and fans it out locally — the publishing node included, so every listener
 * hears events by the same path and in the same order. The channel name carries the session's hash tag, so moving to
 * sharded pub/sub (SPUBLISH/SSUBSCRIBE) on a cluster keeps it in the session's slot.
 *
 * <p>Wire format: an audio event is the chunk's canonical JSON as is (it starts with <code>{</code> and ends with
 * its sequence number), so the Redis store can publish it from the script that releases it
 * ({@link RedisShareStore#eventsChannel}) without building a copy; {@link #audioReleased} is for stores that do
 * not. Other events are one type byte ({@code M} metadata JSON, {@code E} end reason) and the payload. Nodes before
 * this format published audio as {@code A}, an 8-byte sequence number and the JSON; that is still understood, so
 * a rolling upgrade loses no audio events.
 */
public final class RedisShareEvents implements ShareEvents, SessionWatcher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisShareEvents.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final byte METADATA = 'M';
    private static final byte AUDIO_JSON = '{';
    private static final byte FRAMED_AUDIO = 'A';
    private static final byte ENDED = 'E';
    private static final Duration PUBLISH_WAIT = Duration.ofSeconds(2);

    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> publisher;
    private final StatefulRedisPubSubConnection<String, byte[]> subscriber;
    private final ConcurrentHashMap<String, CompletableFuture<?>> subscriptions = new ConcurrentHashMap<>();
    /** Sessions whose subscription Redis has confirmed: a second confirmation is a resubscription after a drop. */
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
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

            @Override
            public void subscribed(String channel, long count) {
                confirmed(channel);
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
        publish(id, chunkJson);
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
        if (subscriptions.remove(sessionId) != null) {
            confirmed.remove(sessionId);
            subscriber.async().unsubscribe(channel(sessionId));
        }
    }

    /**
     * Redis confirms each subscription, and again each time the client resubscribes after reconnecting (it does so
     * by itself). Whatever was published in between was lost to this node, so the hub reconciles the session's
     * listeners from the store. Runs on the client's event loop, in order with the messages that follow.
     */
    private void confirmed(String channel) {
        String sessionId = sessionIdOf(channel);
        if (!subscriptions.containsKey(sessionId)) return;
        if (!confirmed.add(sessionId)) {
            LiveHub target = hub;
            if (target != null) target.resumed(sessionId);
        }
    }

    private static String sessionIdOf(String channel) {
        return channel.substring("session:{".length(), channel.indexOf('}'));
    }

    @Override
    public void close() {
        subscriber.close();
        publisher.close();
        client.shutdown();
    }

    static String channel(String sessionId) {
        return RedisShareStore.eventsChannel(sessionId);
    }

    private void publish(SessionId id, byte type, byte[] payload) {
        byte[] message = new byte[payload.length + 1];
        message[0] = type;
        System.arraycopy(payload, 0, message, 1, payload.length);
        publish(id, message);
    }

    /**
     * Waits for Redis to take the event before the request that caused it answers. Audio events are published by the
     * store's script on other connections, so without the wait a sender's metadata could reach listeners after
     * the chunk it posted next; with it, events from requests that follow one another arrive in that order.
     */
    private void publish(SessionId id, byte[] message) {
        try {
            publisher.async().publish(channel(id.value()), message).get(PUBLISH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.atWarn().addKeyValue("sessionId", id).log("live event not published: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(String channel, byte[] message) {
        LiveHub target = hub;
        if (target == null || message.length == 0) return;
        String sessionId = sessionIdOf(channel);
        LiveEvent event = switch (message[0]) {
            case AUDIO_JSON -> LiveEvent.audio(AudioChunk.sequenceNumberOf(message), message);
            case FRAMED_AUDIO -> LiveEvent.audio(ByteBuffer.wrap(message, 1, Long.BYTES).getLong(),
                    Arrays.copyOfRange(message, 1 + Long.BYTES, message.length));
            case METADATA -> LiveEvent.of(LiveEvent.METADATA, Arrays.copyOfRange(message, 1, message.length));
            case ENDED -> LiveEvent.ended(new String(message, 1, message.length - 1, StandardCharsets.US_ASCII));
            default -> null;
        };
        if (event != null) target.deliver(sessionId, event);
    }
}
