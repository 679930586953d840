package dev.musicshare.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few multiplexed connections, taken in turn. One connection answers in order, so a read of a whole audio buffer
 * (megabytes, for a listener joining a desktop sender's session) held up every small command queued behind it, and
 * one connection is one event-loop thread encoding and decoding every byte. No command needs another to share its
 * connection: each request waits for its own replies before it sends what depends on them.
 */
final class RedisConnections implements AutoCloseable {
    private final List<StatefulRedisConnection<byte[], byte[]>> connections = new ArrayList<>();
    private final List<RedisAsyncCommands<byte[], byte[]>> commands = new ArrayList<>();
    private final AtomicInteger turn = new AtomicInteger();

    /** Opens {@code count} connections at once; fails, closing what it opened, if any cannot be opened. */
    RedisConnections(RedisClient client, int count) {
        if (count < 1) throw new IllegalArgumentException("count must be at least 1, was " + count);
        try {
            for (int i = 0; i < count; i++) {
                StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
                connections.add(connection);
                commands.add(connection.async());
            }
        } catch (RedisException e) {
            close();
            throw e;
        }
    }

    /** The next connection's commands, in turn. */
    RedisAsyncCommands<byte[], byte[]> next() {
        return commands.get(Math.floorMod(turn.getAndIncrement(), commands.size()));
    }

    int size() {
        return connections.size();
    }

    @Override
    public void close() {
        connections.forEach(StatefulRedisConnection::close);
    }
}
