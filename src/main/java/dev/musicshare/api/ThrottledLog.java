package dev.musicshare.api;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per interval for a condition every request meets while it lasts (the store away: each request
 * is refused, and a line apiece would bury the log under thousands during an outage of a busy node). The first
 * occurrence is logged at once; later ones within the interval are withheld and counted, and the count goes with the
 * next line, so the log still says how many requests were refused.
 */
final class ThrottledLog {
    private final long intervalNanos;
    private final AtomicLong nextLineAt;
    private final AtomicLong withheld = new AtomicLong();

    ThrottledLog(Duration interval) {
        intervalNanos = interval.toNanos();
        nextLineAt = new AtomicLong(System.nanoTime());
    }

    /**
     * @return -1 when this occurrence is withheld; otherwise log it, with this many occurrences withheld since the last
     *         line logged
     */
    long admit() {
        long now = System.nanoTime();
        long next = nextLineAt.get();
        if (now - next >= 0 && nextLineAt.compareAndSet(next, now + intervalNanos)) return withheld.getAndSet(0);
        withheld.incrementAndGet();
        return -1;
    }
}
