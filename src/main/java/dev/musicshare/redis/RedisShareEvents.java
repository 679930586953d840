package dev.musicshare.redis;

import dev.musicshare.live.LiveEvent;
import dev.musicshare.live.LiveEvents;
import dev.musicshare.live.LiveHub;
import dev.musicshare.live.SessionWatcher;
import dev.musicshare.share.Metadata;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.ShareEvents;
import java.time.Duration;
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
 * hears events by the same path and in the same order. Channels and frames are {@link EventCodec}'s.
 *
 * <p>Released audio is published by the Redis store's audio script in the step that releases it (a chunk's bytes
 * go to Redis once, and every node hears chunks in release order), so {@link #audioReleased} has nothing left to
 * do; metadata and endings are published from here.
 *
 * <p>The channels are plain pub/sub on a single Redis or Sentinel, sharded pub/sub on a cluster
 * ({@link EventTransport}): there a session's events travel only within the shard that owns it.
 */
public final class RedisShareEvents implements ShareEvents, SessionWatcher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisShareEvents.class);
    private static final Duration PUBLISH_WAIT = Duration.ofSeconds(2);

    private final EventTransport transport;
    /** Session id by channel, for the sessions this node watches: a message names its channel only. */
    private final ConcurrentHashMap<String, String> sessionsByChannel = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<?>> subscriptions = new ConcurrentHashMap<>();
    /** Sessions whose subscription Redis has confirmed: a second confirmation is a resubscription after a drop. */
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private volatile LiveHub hub;

    /** Connects at once (a publishing and a subscribing connection, or their cluster counterparts). */
    public RedisShareEvents(RedisOptions options) {
        transport = EventTransport.open(options, new EventTransport.Receiver() {
            @Override
            public void message(String channel, byte[] message) {
                deliver(channel, message);
            }

            @Override
            public void subscribed(String channel) {
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
        publish(id, EventCodec.metadata(LiveEvents.metadata(id, metadata)));
    }

    /** Published already, by the store's audio script (see the class comment). */
    @Override
    public void audioReleased(SessionId id, long sequenceNumber, byte[] chunkJson) {}

    @Override
    public void sessionEnded(SessionId id, EndReason reason) {
        publish(id, EventCodec.ended(reason.wireName()));
    }

    @Override
    public CompletableFuture<?> watch(String sessionId) {
        return subscriptions.computeIfAbsent(sessionId, id -> {
            String channel = EventCodec.channel(id);
            sessionsByChannel.put(channel, id);
            return transport.subscribe(channel);
        });
    }

    @Override
    public void unwatch(String sessionId) {
        if (subscriptions.remove(sessionId) != null) {
            confirmed.remove(sessionId);
            String channel = EventCodec.channel(sessionId);
            sessionsByChannel.remove(channel);
            transport.unsubscribe(channel);
        }
    }

    /**
     * Redis confirms each subscription, and again each time the client resubscribes after reconnecting (it does so
     * by itself, or {@link ShardedPubSub} does). Whatever was published in between was lost to this node, so the hub reconciles the session's
     * listeners from the store. Runs on the client's event loop, in order with the messages that follow.
     */
    private void confirmed(String channel) {
        String sessionId = sessionsByChannel.get(channel);
        if (sessionId == null) return;
        if (!confirmed.add(sessionId)) {
            LiveHub target = hub;
            if (target != null) target.resumed(sessionId);
        }
    }

    @Override
    public void close() {
        transport.close();
    }

    /**
     * Waits for Redis to take the event before the request that caused it answers. Audio events are published by the
     * store's script on other connections, so without the wait a sender's metadata could reach listeners after
     * the chunk it posted next; with it, events from requests that follow one another arrive in that order.
     */
    private void publish(SessionId id, byte[] message) {
        try {
            transport.publish(EventCodec.channel(id.value()), message).get(PUBLISH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.atWarn().addKeyValue("sessionId", id).log("live event not published: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(String channel, byte[] message) {
        LiveHub target = hub;
        String sessionId = sessionsByChannel.get(channel);
        if (target == null || sessionId == null) return; // unsubscribed meanwhile
        LiveEvent event = EventCodec.decode(message);
        if (event != null) target.deliver(sessionId, event);
    }
}
