package dev.musicshare.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.lease.RecordingLeases;
import dev.musicshare.lease.RecordingLeases.RecordedSession;
import dev.musicshare.lease.RecordingProgress;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.testing.RedisCluster;
import dev.musicshare.testing.SharedRedis;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The recording lease on a real redis-server, as two nodes see it: one holder at a time, renewal only by the
 * holder, takeover once it runs out, progress fenced by the lease, and a finished recording forgotten everywhere.
 * On one Redis and on a Redis Cluster (the lease and progress share the session's slot; the list of recorded
 * sessions lives in a slot of its own).
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"single", "cluster"})
class RedisRecordingLeasesTest {
    private static final RecordedSession SESSION = new RecordedSession("818181", 1_795_000_000_000L);

    @Parameter
    String shape;

    private RedisRecordingLeases nodeA;
    private RedisRecordingLeases nodeB;

    @BeforeEach
    void connect() {
        String url;
        if (shape.equals("cluster")) {
            RedisCluster.shared().flush();
            url = RedisCluster.shared().url();
        } else {
            url = SharedRedis.freshUrl();
        }
        nodeA = new RedisRecordingLeases(RedisTestStores.options(url), ShareMetrics.inMemory());
        nodeB = new RedisRecordingLeases(RedisTestStores.options(url), ShareMetrics.inMemory());
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void one_node_holds_a_lease_and_only_it_renews_or_releases_it() {
        assertThat(nodeA.nodeId()).isNotEqualTo(nodeB.nodeId());
        nodeA.register(SESSION);
        assertThat(nodeB.recorded()).containsExactly(SESSION);
        assertThat(nodeA.acquire(SESSION)).isTrue();
        assertThat(nodeB.acquire(SESSION)).isFalse();
        assertThat(nodeA.acquire(SESSION)).as("the holder keeps it").isTrue();
        assertThat(nodeB.renew(SESSION)).isFalse();
        assertThat(nodeA.renew(SESSION)).isTrue();
        nodeB.release(SESSION); // not its own: nothing happens
        assertThat(nodeB.acquire(SESSION)).isFalse();
        nodeA.release(SESSION);
        assertThat(nodeB.acquire(SESSION)).isTrue();
        assertThat(nodeA.renew(SESSION)).as("a released lease is not revived").isFalse();
    }

    @Test
    void a_lease_not_renewed_runs_out_and_another_node_takes_it() {
        assertThat(nodeA.acquire(SESSION)).isTrue();
        long askedAt = System.nanoTime();
        await().atMost(RecordingLeases.LEASE_TIME.plusSeconds(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> nodeB.acquire(SESSION));
        assertThat(Duration.ofNanos(System.nanoTime() - askedAt))
                .isGreaterThanOrEqualTo(RecordingLeases.LEASE_TIME.minusMillis(100));
        assertThat(nodeA.renew(SESSION)).isFalse();
    }

    @Test
    void progress_is_recorded_only_by_the_holder_and_forgotten_when_the_recording_finishes() {
        nodeA.register(SESSION);
        assertThat(nodeA.acquire(SESSION)).isTrue();
        RecordingProgress progress = new RecordingProgress(2, 1, true, "Song", "Band",
                "818181-20261119080000-02", 48_213, 1_795_000_010_000.5, 1_795_000_010_000L, 0, 42.25, 41, Double.NaN);
        nodeA.report(SESSION, progress);
        await().atMost(Duration.ofSeconds(5)).until(() -> nodeB.progress(SESSION).isPresent());
        RecordingProgress read = nodeB.progress(SESSION).orElseThrow();
        assertThat(read.fileId()).isEqualTo("818181-20261119080000-02");
        assertThat(read.bytes()).isEqualTo(48_213);
        assertThat(read.startPresentationMillis()).isEqualTo(1_795_000_010_000.5);
        assertThat(read.songSecondsAtStart()).as("what the file's lyrics are aligned by").isEqualTo(42.25);
        assertThat(read.endPresentationMillis()).isNaN();
        assertThat(read.nextPart()).isEqualTo(2);

        RecordingProgress fenced = new RecordingProgress(2, 1, true, "Song", "Band", null, 0, Double.NaN, 0, 0,
                Double.NaN, 99, Double.NaN);
        nodeB.report(SESSION, fenced); // B does not hold the lease; its read below follows on the same connection
        assertThat(nodeB.progress(SESSION).orElseThrow().lastSequence()).isEqualTo(41);
        nodeA.report(SESSION, new RecordingProgress(2, 1, true, "Song", "Band", "818181-20261119080000-02", 50_000,
                1_795_000_010_000.5, 1_795_000_010_000L, 0, Double.NaN, 42, Double.NaN));
        await().atMost(Duration.ofSeconds(5)).until(() -> nodeB.progress(SESSION).orElseThrow().lastSequence() == 42);
        assertThat(nodeB.progress(SESSION).orElseThrow().songSecondsAtStart()).as("not known: none").isNaN();

        nodeA.finished(SESSION);
        assertThat(nodeB.recorded()).isEmpty();
        assertThat(nodeB.progress(SESSION)).isEmpty();
        assertThat(nodeB.acquire(SESSION)).as("the lease went with it").isTrue();
    }
}
