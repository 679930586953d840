package dev.musicshare.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Builds the Lettuce clients a node talks to Redis through, from its {@link RedisOptions}: one for commands (the
 * store) and one for pub/sub (push events). Both reconnect by themselves. On a Sentinel setup the client asks the
 * sentinels for the master on every (re)connect, so after a failover it finds the new master by itself.
 */
final class RedisConnector {
    static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

    private RedisConnector() {}

    /**
     * For commands: while Redis is unreachable they are rejected at once rather than queued, and each fails after
     * the configured timeout, so a request answers 503 within {@code REDIS_TIMEOUT_MS}.
     */
    static RedisClient forCommands(RedisOptions options) {
        RedisURI uri = uri(options);
        RedisClient client = RedisClient.create(resources(), uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(options.timeout()))
                .build());
        return client;
    }

    /**
     * For pub/sub: a subscription asked for while Redis is away is queued and sent on reconnection (the client then
     * also renews every subscription it held), so a listener joining during a blip waits rather than fails. The
     * wait is bounded where it is made ({@link dev.musicshare.live.SessionWatcher#awaitWatching}, publishing).
     */
    static RedisClient forEvents(RedisOptions options) {
        RedisClient client = RedisClient.create(resources(), uri(options));
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
