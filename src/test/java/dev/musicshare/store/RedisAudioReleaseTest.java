package dev.musicshare.store;

import java.time.Duration;

class RedisAudioReleaseTest extends AudioReleaseContract {
    @Override
    ShareStore createStore(StoreSettings settings) {
        return RedisTestStores.create(settings);
    }

    @Override
    void advance(Duration duration) {
        now += duration.toMillis();
        RedisTestStores.waitFor(duration);
    }
}
