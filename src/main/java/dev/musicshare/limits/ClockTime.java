package dev.musicshare.limits;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Instant;

/** The server's {@link Clock} as Bucket4j's time source, so buckets refill by the same time as everything else. */
final class ClockTime implements TimeMeter {
    private final Clock clock;

    private ClockTime(Clock clock) {
        this.clock = clock;
    }

    static TimeMeter of(Clock clock) {
        return new ClockTime(clock);
    }

    @Override
    public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Wall-clock time: buckets shared through Redis are refilled by whichever node asks, so nodes must agree. */
    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
