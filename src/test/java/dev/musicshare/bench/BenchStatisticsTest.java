package dev.musicshare.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The load tool's arithmetic on inputs whose answers are known: the figures in docs/ rest on it. */
class BenchStatisticsTest {
    @Test
    void percentiles_are_nearest_rank_in_milliseconds() {
        LatencyStats stats = new LatencyStats();
        assertThat(stats.percentileMillis(50)).isNaN();
        for (int i = 100; i >= 1; i--) stats.add(i * 1_000L); // 1..100 ms, added in reverse
        assertThat(stats.count()).isEqualTo(100);
        assertThat(stats.percentileMillis(50)).isEqualTo(50.0);
        assertThat(stats.percentileMillis(99)).isEqualTo(99.0);
        assertThat(stats.percentileMillis(100)).isEqualTo(100.0);
        assertThat(stats.percentileMillis(0)).isEqualTo(1.0);
        for (int i = 0; i < 20_000; i++) stats.add(500); // grows past its first array
        assertThat(stats.count()).isEqualTo(20_100);
        assertThat(stats.percentileMillis(50)).isEqualTo(0.5);
    }
}
