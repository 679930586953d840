package dev.musicshare.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line when a Redis node stops answering a client's connections and one when they are back, instead of
 * Lettuce's warning for every failed reconnect of every connection: while a cluster master was dead a node wrote 43
 * of them in 3 s (and the cluster topology refresh 32 more), which buried what the node itself had to say. Those two
 * Lettuce loggers are muted in {@code logback.xml}; this takes their place, per client ({@code what}) and address.
 *
 * <p>An outage begins when a connection to an address drops unasked (a connection being closed is no outage) and
 * ends when the first connection that was on that address connects again — to the same address, or, after a
 * Sentinel failover, to the new master, which the line names.
 */
final class RedisReachability implements RedisConnectionStateListener {
    private static final Logger log = LoggerFactory.getLogger(RedisReachability.class);

    private final String what;
    /** Where each open connection is connected (or was, while it reconnects). */
    private final Map<RedisChannelHandler<?, ?>, String> addresses = new ConcurrentHashMap<>();
    /** Addresses in an outage, with when it began ({@link System#nanoTime}). */
    private final Map<String, Long> downSince = new ConcurrentHashMap<>();

    private RedisReachability(String what) {
        this.what = what;
    }

    /** Reports the outages of {@code client}'s connections, naming them {@code what} ("store", "live events", …). */
    static <C extends AbstractRedisClient> C reported(C client, String what) {
        client.addListener(new RedisReachability(what));
        return client;
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
        String address = describe(socketAddress);
        String before = addresses.put(connection, address);
        if (before == null) return;
        Long since = downSince.remove(before);
        if (since == null) return;
        double seconds = (System.nanoTime() - since) / 1e9;
        if (before.equals(address)) {
            log.atInfo().addKeyValue("redis", address).log("{} connections reach Redis again after {} s", what,
                    String.format("%.1f", seconds));
        } else {
            log.atInfo().addKeyValue("redis", address).addKeyValue("unreachable", before)
                    .log("{} connections reconnected to another Redis node after {} s", what,
                            String.format("%.1f", seconds));
        }
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (connection.isClosed()) { // closed on purpose: no outage, and forget it
            addresses.remove(connection);
            return;
        }
        String address = addresses.get(connection);
        if (address == null || downSince.putIfAbsent(address, System.nanoTime()) != null) return;
        log.atWarn().addKeyValue("redis", address).log("{} connections lost Redis; reconnecting by themselves, at most "
                + "{} ms apart (one line when it answers again)", what, RedisConnector.MAX_RECONNECT_DELAY.toMillis());
    }

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) return inet.getHostString() + ":" + inet.getPort();
        return String.valueOf(address);
    }
}
