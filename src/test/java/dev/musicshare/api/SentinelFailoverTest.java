package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.testing.FailoverUnderLoad;
import dev.musicshare.testing.FailoverUnderLoad.Outcome;
import dev.musicshare.testing.FailoverUnderLoad.PushListener;
import dev.musicshare.testing.RedisSentinel;
import dev.musicshare.testing.RedisServer;
import dev.musicshare.testing.Resp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The master of a Sentinel setup is killed (SIGKILL) under load ({@link FailoverUnderLoad}: a sender at real pace,
 * an SSE push listener on its node, a WebSocket push listener and a poller on another). Afterwards the sender
 * carries on by itself (meanwhile 503 with Retry-After, never anything else), every listener gets every chunk
 * acknowledged after the failover, every acknowledged chunk the new master holds reaches every push listener or is
 * named by a {@code gap} (never silence), and no node is restarted. Without {@code REDIS_WAIT_REPLICAS} chunks
 * acknowledged in the last moment may be lost (printed); with it, none is.
 */
class SentinelFailoverTest {

    @Test
    void after_the_master_dies_the_sender_carries_on_and_every_listener_gets_every_chunk_kept() {
        Outcome outcome = FailoverUnderLoad.run(new SentinelFailover(RedisSentinel.shared()), Map.of());
        System.out.println("sentinel failover, REDIS_WAIT_REPLICAS=0: " + outcome.describe());
        assertEveryListenerFollowed(outcome);
    }

    @Test
    void with_redis_wait_replicas_no_acknowledged_chunk_is_lost() {
        Outcome outcome = FailoverUnderLoad.run(new SentinelFailover(RedisSentinel.shared()),
                Map.of("REDIS_WAIT_REPLICAS", "1", "REDIS_WAIT_TIMEOUT_MS", "500"));
        System.out.println("sentinel failover, REDIS_WAIT_REPLICAS=1: " + outcome.describe());
        assertEveryListenerFollowed(outcome);
        assertThat(outcome.lost()).as("acknowledged chunks the promoted replica lacks").isEmpty();
    }

    /**
     * A master that stalls (SIGSTOP) rather than dies keeps every connection to it open, unanswered, while the
     * sentinels promote its replica; when it wakes (SIGCONT) it takes writes as a master until the sentinels demote it
     * (8 s later), and its demotion discards them. The nodes must leave it on the promotion: nothing acknowledged
     * after the promotion is lost, even without {@code REDIS_WAIT_REPLICAS}.
     */
    @Test
    void a_frozen_master_is_left_on_the_promotion_so_nothing_acknowledged_after_it_is_lost() {
        Outcome outcome = FailoverUnderLoad.run(new SentinelFailover(RedisSentinel.shared(), true), Map.of());
        System.out.println("sentinel frozen master, REDIS_WAIT_REPLICAS=0: " + outcome.describe());
        assertEveryListenerFollowed(outcome);
    }

    /** The figures of a failover every test of it asserts, with or without waiting for replicas. */
    static void assertEveryListenerFollowed(Outcome outcome) {
        assertThat(outcome.refusals()).as("sender requests refused during the failover")
                .allMatch(refusal -> refusal.equals("503 Retry-After=1"));
        assertThat(outcome.refusedSeconds()).as("seconds of 503").isLessThan(15);
        assertThat(outcome.lostAfterPromotion()).as("chunks acknowledged after the promotion, missing from the store "
                + "once the sender stopped (" + outcome.describe() + ")").isEmpty();
        assertThat(outcome.silentLoss()).as("acknowledged chunks the failover lost that a push listener neither got "
                + "nor was told of by a gap (" + outcome.describe() + ")").isEmpty();
        assertThat(outcome.silentUntilSettled()).as("acknowledged chunks a listener neither got nor was told of by "
                + "a gap (" + outcome.describe() + ")").isEmpty();
        for (PushListener listener : outcome.pushListeners()) {
            assertThat(listener.received()).as(listener.name() + " after the failover")
                    .containsAll(outcome.afterPromotion());
            // The node waits for the store to answer rather than dropping its listeners: they keep the connection.
            assertThat(listener.reconnects()).as(listener.name() + ": reconnect events").hasValue(0);
            assertThat(listener.refusedConnects()).as(listener.name() + ": connections refused").hasValue(0);
        }
        assertThat(outcome.polled()).as("the poller after the failover").containsAll(outcome.afterPromotion());
        assertThat(outcome.nodesHealthy()).as("both nodes healthy, neither restarted").isTrue();
    }

    /**
     * The shared Sentinel setup's master, killed (SIGKILL) and brought back as a replica, or frozen (SIGSTOP) and let
     * run again (SIGCONT) once its replica was promoted.
     */
    static final class SentinelFailover implements FailoverUnderLoad.Failover {
        private final RedisSentinel sentinel;
        private final boolean freeze;
        private RedisServer killed;

        SentinelFailover(RedisSentinel sentinel) {
            this(sentinel, false);
        }

        SentinelFailover(RedisSentinel sentinel, boolean freeze) {
            this.sentinel = sentinel;
            this.freeze = freeze;
            sentinel.flush();
        }

        @Override
        public String url() {
            return sentinel.url();
        }

        @Override
        public void kill() {
            killed = freeze ? sentinel.freezeMaster() : sentinel.killMaster();
        }

        @Override
        public void awaitPromotion() {
            sentinel.awaitFailover(killed, Duration.ofSeconds(30));
        }

        @Override
        @SuppressWarnings("unchecked")
        public Set<Long> storedSequences(String sessionId) {
            Set<Long> sequences = new TreeSet<>();
            for (Object member : (List<Object>) Resp.call(sentinel.master().port(), "ZRANGE",
                    "session:{" + sessionId + "}:audio:index", "0", "-1")) {
                sequences.add(Long.parseLong(((String) member).split(":")[0]));
            }
            return sequences;
        }

        @Override
        public void restore() {
            if (killed != null && freeze) sentinel.thaw(killed);
            else if (killed != null) sentinel.restore(killed);
            killed = null;
        }
    }
}
