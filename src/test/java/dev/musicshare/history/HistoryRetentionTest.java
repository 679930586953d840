package dev.musicshare.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.config.HistorySettings;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.share.Metadata;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.ShareEvents;
import dev.musicshare.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HISTORY_MAX_AGE_DAYS on the embedded SQLite file: records of sessions that ended longer ago go, with their tracks,
 * bytes and samples; records of sessions still live stay however old. The clock is the test's.
 */
class HistoryRetentionTest {
    @Test
    void records_of_sessions_that_ended_before_the_age_limit_are_removed_and_live_ones_kept() throws IOException {
        MutableClock clock = new MutableClock(Instant.parse("2026-10-01T10:00:00Z"));
        Path directory = Files.createTempDirectory(Path.of("target"), "history-retention-");
        HistorySettings settings = new HistorySettings(null, directory, Duration.ofMinutes(1), 1_000, true,
                Duration.ofDays(30));
        try (SessionHistory history = SessionHistory.open(settings, clock, false, ShareMetrics.inMemory())) {
            history.start(List::of);
            SessionId ended = new SessionId("111111");
            SessionId live = new SessionId("222222");
            history.observer().started(ended, clock.millis());
            history.observer().started(live, clock.millis());
            history.observer().metadataChanged(ended, new Metadata("Old song", "Band", null, false, 0, 0, null, 0),
                    clock.millis());
            history.observer().chunkReceived(ended, 35_280, 100_000);
            history.observer().audioSent(ended, "pcm", 1_000);
            clock.advance(Duration.ofMinutes(3));
            history.observer().ended(ended, ShareEvents.EndReason.STOPPED, clock.millis(), 2);
            assertThat(history.flushNow()).isTrue();

            clock.advance(Duration.ofDays(29));
            assertThat(history.removeOldRecordsNow()).isZero();
            assertThat(history.queries().sessions(0, Long.MAX_VALUE, 10, 0).total()).isEqualTo(2);

            clock.advance(Duration.ofDays(2)); // the ended session ended 31 days ago; the live one began 31 days ago
            assertThat(history.removeOldRecordsNow()).isEqualTo(1);
            assertThat(history.queries().sessions(0, Long.MAX_VALUE, 10, 0).sessions())
                    .extracting(SessionSummary::sessionId).containsExactly("222222");
        }
    }
}
