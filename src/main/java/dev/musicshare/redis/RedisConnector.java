package dev.musicshare.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;

/**
 * Builds the Lettuce clients a node talks to Redis through, from its {@link RedisOptions}: one for commands (the
 * store) and one for pub/sub (push events). Both reconnect by themselves.
 */
final class RedisConnector {
    private RedisConnector() {}

    /**
     * For commands: while Redis is unreachable they are rejected at once rather than queued, and each fails after
     * the configured timeout, so a request answers 503 within {@code REDIS_TIMEOUT_MS}.
     */
    static RedisClient forCommands(RedisOptions options) {
        RedisURI uri = uri(options);
        RedisClient client = RedisClient.create(uri);
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
        RedisClient client = RedisClient.create(RedisURI.create(options.url()));
        client.setOptions(ClientOptions.builder().autoReconnect(true).build());
        return client;
    }

    /** Host, port and database, never credentials: for logs and errors. */
    static String describe(RedisOptions options) {
        RedisURI uri = RedisURI.create(options.url());
        return uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    private static RedisURI uri(RedisOptions options) {
        RedisURI uri = RedisURI.create(options.url());
        uri.setTimeout(options.timeout());
        return uri;
    }
}
