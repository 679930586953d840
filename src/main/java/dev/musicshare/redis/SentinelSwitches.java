package dev.musicshare.redis;

import io.lettuce.core.Delegating;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for the sentinels' announcement that they promoted a new master ({@code +switch-master}), so that a
 * node's connections leave the old master at once. Otherwise a connection follows a failover only when it drops: a
 * crashed master drops it, but one that stalls (a frozen process, a paused VM, a partition) keeps it open and
 * unanswered, and when it wakes it goes on taking writes as a master — for about 8 s, until the sentinels demote it
 * (they wait 4 of their 2 s publish periods before reconfiguring it) — writes its demotion then discards. Measured in
 * {@code SentinelFailoverTest}: with the master frozen through the promotion, senders were acknowledged by the
 * woken old master for 10 s, all of it lost.
 *
 * <p>On an announcement for our master, each connection handed to {@link #watch} has its network channel closed;
 * Lettuce reconnects it by itself, asking the sentinels where the master is (pub/sub connections resubscribe, which
 * reconciles their push listeners). Every sentinel announces the same switch: only the first announcement of a new
 * address acts, and only when it comes from the first sentinel we reach, which is the one Lettuce's reconnection
 * asks — a later sentinel may announce before the first one has learnt of the switch. A write answered READONLY
 * moves them too ({@link #readOnlyAnswered}).
 */
final class SentinelSwitches implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SentinelSwitches.class);
    /** The sentinels' channel for a completed failover: "name old-ip old-port new-ip new-port". */
    static final String CHANNEL = "+switch-master";
    /** The least time between two moves prompted by READONLY replies: reconnecting takes a moment to show. */
    static final Duration READ_ONLY_SPACING = Duration.ofSeconds(1);

    private final String what;
    private final String masterName;
    private final List<StatefulRedisPubSubConnection<String, String>> sentinels = new ArrayList<>();
    private final List<StatefulConnection<?, ?>> followers = new ArrayList<>();
    private final AtomicReference<String> followed = new AtomicReference<>();
    private final AtomicLong lastReadOnlyDrop = new AtomicLong(System.nanoTime() - READ_ONLY_SPACING.toNanos());

    private SentinelSwitches(String what, String masterName) {
        this.what = what;
        this.masterName = masterName;
    }

    /**
     * Subscribes to every sentinel of {@code url} through {@code client} (one that cannot be reached now is left
     * out: the others announce the same switches) and returns the watch, or null when {@code url} is not a Sentinel
     * setup.
     *
     * @param what      whose connections these are, for the log line a switch writes ("store", "live events", …)
     * @param followers the connections to move to the new master; they must come from a client that asks the
     *                  sentinels on every (re)connect ({@link RedisConnector})
     */
    static SentinelSwitches watch(RedisClient client, RedisUrl url, Duration timeout, String what,
            List<? extends StatefulConnection<?, ?>> followers) {
        if (url.kind() != RedisUrl.Kind.SENTINEL) return null;
        SentinelSwitches switches = new SentinelSwitches(what, url.sentinelMasterId());
        switches.followers.addAll(followers);
        for (RedisUrl.Node sentinel : url.nodes()) {
            try {
                StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub(
                        RedisURI.builder().withHost(sentinel.host()).withPort(sentinel.port()).withTimeout(timeout)
                                .build());
                switches.sentinels.add(connection);
                connection.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        switches.announced(connection, message);
                    }
                });
                connection.async().subscribe(CHANNEL);
            } catch (RedisException unreachable) {
                log.atWarn().addKeyValue("sentinel", sentinel).log("{} cannot watch this sentinel for failovers: {}",
                        what, unreachable.getMessage());
            }
        }
        return switches;
    }

    private void announced(StatefulRedisPubSubConnection<String, String> from, String message) {
        String[] fields = message.split(" ");
        if (fields.length != 5 || !fields[0].equals(masterName)) return;
        if (!isFirstReachable(from)) return;
        String newMaster = fields[3] + ":" + fields[4];
        if (newMaster.equals(followed.getAndSet(newMaster))) return;
        log.atInfo().addKeyValue("from", fields[1] + ":" + fields[2]).addKeyValue("to", newMaster)
                .log("the sentinels promoted a new master: {} connections follow it", what);
        followers.forEach(SentinelSwitches::dropChannel);
    }

    /**
     * A write was answered READONLY: the connection is on a replica — a master demoted while its clients stayed
     * connected (by an operator's REPLICAOF, or after an announcement this node missed). The connections move to
     * the master the sentinels name, at most once every {@link #READ_ONLY_SPACING}.
     */
    void readOnlyAnswered() {
        long now = System.nanoTime();
        long last = lastReadOnlyDrop.get();
        if (now - last < READ_ONLY_SPACING.toNanos() || !lastReadOnlyDrop.compareAndSet(last, now)) return;
        log.atWarn().log("a write was answered READONLY (the master was demoted): {} connections move to the master "
                + "the sentinels name", what);
        followers.forEach(SentinelSwitches::dropChannel);
    }

    private boolean isFirstReachable(StatefulRedisPubSubConnection<String, String> from) {
        for (StatefulRedisPubSubConnection<String, String> sentinel : sentinels) {
            if (sentinel == from) return true;
            if (sentinel.isOpen()) return false;
        }
        return false;
    }

    /**
     * Closes a connection's network channel without closing the connection, so that it reconnects as after a drop.
     * Lettuce has no public call for this; its endpoint's {@code disconnect} is public and does exactly that.
     */
    static void dropChannel(StatefulConnection<?, ?> connection) {
        if (!(connection instanceof RedisChannelHandler<?, ?> handler)) return;
        RedisChannelWriter writer = handler.getChannelWriter();
        while (!(writer instanceof DefaultEndpoint) && writer instanceof Delegating<?> delegating
                && delegating.getDelegate() instanceof RedisChannelWriter inner) {
            writer = inner;
        }
        if (writer instanceof DefaultEndpoint endpoint) endpoint.disconnect();
    }

    @Override
    public void close() {
        sentinels.forEach(StatefulConnection::close);
    }
}
