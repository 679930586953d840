package dev.musicshare.store;

import dev.musicshare.testing.SharedRedis;
import java.time.Duration;

/** The Redis store as the store contracts run it: its own database on the suite's Redis, and real time. */
final class RedisTestStores {
    private RedisTestStores() {}

    static ShareStore create(StoreSettings settings) {
        return new RedisShareStore(SharedRedis.freshUrl(), settings, Duration.ofSeconds(2));
    }

    /** Redis keeps real time for its TTLs, so a test that moves its clock must also wait that long. */
    static void waitFor(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
