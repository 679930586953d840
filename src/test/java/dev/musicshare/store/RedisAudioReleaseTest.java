package dev.musicshare.store;

import dev.musicshare.testing.SharedRedis;
import java.time.Duration;

class RedisAudioReleaseTest extends AudioReleaseContract {
    @Override
    ShareStore createStore(StoreSettings settings) {
        return new RedisShareStore(SharedRedis.freshUrl(), settings, Duration.ofSeconds(2));
    }

    /** Redis keeps real time for its TTLs, so the test waits as well as moving its clock. */
    @Override
    void advance(Duration duration) {
        now += duration.toMillis();
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
