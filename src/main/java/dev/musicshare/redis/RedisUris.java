package dev.musicshare.redis;

import dev.musicshare.redis.RedisUrl.Node;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;

/**
 * {@link RedisUrl} as Lettuce's {@link RedisURI}s: one for a single Redis or a Sentinel setup (whose URI lists the
 * sentinels and the master's name: Lettuce asks them where the master is on every connect, so a reconnect after a
 * failover finds the new master), one per seed node of a cluster.
 */
final class RedisUris {
    private RedisUris() {}

    static List<RedisURI> of(RedisUrl url, Duration timeout) {
        return switch (url.kind()) {
            case STANDALONE -> List.of(credentials(RedisURI.builder().withHost(url.node().host())
                    .withPort(url.node().port()).withSsl(url.tls()).withDatabase(url.database()), url, timeout));
            case SENTINEL -> {
                Node first = url.nodes().get(0);
                RedisURI.Builder builder = RedisURI.Builder.sentinel(first.host(), first.port(), url.sentinelMasterId());
                for (Node sentinel : url.nodes().subList(1, url.nodes().size())) {
                    builder.withSentinel(sentinel.host(), sentinel.port());
                }
                yield List.of(credentials(builder.withDatabase(url.database()), url, timeout));
            }
            case CLUSTER -> url.nodes().stream().map(node -> credentials(RedisURI.builder().withHost(node.host())
                    .withPort(node.port()), url, timeout)).toList();
        };
    }

    private static RedisURI credentials(RedisURI.Builder builder, RedisUrl url, Duration timeout) {
        builder.withTimeout(timeout);
        if (url.password() != null) {
            if (url.username() != null) builder.withAuthentication(url.username(), url.password());
            else builder.withPassword(url.password().toCharArray());
        }
        return builder.build();
    }
}
