package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.testing.FailoverUnderLoad;
import dev.musicshare.testing.FailoverUnderLoad.Outcome;
import dev.musicshare.testing.RedisCluster;
import dev.musicshare.testing.RedisServer;
import dev.musicshare.testing.Resp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The master that owns the session's slot in a 3-master Redis Cluster is killed (SIGKILL) under load
 * ({@link FailoverUnderLoad}); its replica is promoted by the cluster itself. The same assertions as
 * {@link SentinelFailoverTest}: the sender carries on after 503s with Retry-After, every listener on both nodes gets
 * every chunk acknowledged after the failover, every acknowledged chunk the promoted replica holds arrives or is
 * named by a gap, no node restarts; with {@code REDIS_WAIT_REPLICAS=1} no acknowledged chunk is lost.
 */
class ClusterFailoverTest {

    @Test
    void after_the_sessions_master_dies_its_replica_takes_over_and_every_listener_follows() {
        Outcome outcome = FailoverUnderLoad.run(new ClusterFailover(RedisCluster.shared()), Map.of());
        System.out.println("cluster failover, REDIS_WAIT_REPLICAS=0: " + outcome.describe());
        SentinelFailoverTest.assertEveryListenerFollowed(outcome);
    }

    @Test
    void with_redis_wait_replicas_no_acknowledged_chunk_is_lost() {
        Outcome outcome = FailoverUnderLoad.run(new ClusterFailover(RedisCluster.shared()),
                Map.of("REDIS_WAIT_REPLICAS", "1", "REDIS_WAIT_TIMEOUT_MS", "500"));
        System.out.println("cluster failover, REDIS_WAIT_REPLICAS=1: " + outcome.describe());
        SentinelFailoverTest.assertEveryListenerFollowed(outcome);
        assertThat(outcome.lost()).as("acknowledged chunks the promoted replica lacks").isEmpty();
    }

    /** The shared cluster's master of the session's slot, killed and brought back as a replica. */
    static final class ClusterFailover implements FailoverUnderLoad.Failover {
        private static final String SESSION_KEY = "session:{" + FailoverUnderLoad.SESSION + "}";
        private final RedisCluster cluster;
        private RedisServer killed;

        ClusterFailover(RedisCluster cluster) {
            this.cluster = cluster;
            cluster.flush();
        }

        @Override
        public String url() {
            return cluster.url();
        }

        @Override
        public void kill() {
            killed = cluster.masterOf(SESSION_KEY);
            cluster.kill(killed);
        }

        @Override
        public void awaitPromotion() {
            cluster.awaitFailover(killed, Duration.ofSeconds(30));
        }

        @Override
        @SuppressWarnings("unchecked")
        public Set<Long> storedSequences(String sessionId) {
            Set<Long> sequences = new TreeSet<>();
            for (Object member : (List<Object>) Resp.call(cluster.masterOf(SESSION_KEY).port(), "ZRANGE",
                    "session:{" + sessionId + "}:audio:index", "0", "-1")) {
                sequences.add(Long.parseLong(((String) member).split(":")[0]));
            }
            return sequences;
        }

        @Override
        public void restore() {
            if (killed != null) cluster.restore(killed);
            killed = null;
        }
    }
}
