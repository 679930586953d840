package dev.musicshare.store;

import java.time.Duration;

class MemoryAudioReleaseTest extends AudioReleaseContract {
    @Override
    ShareStore createStore(StoreSettings settings) {
        return new MemoryShareStore(settings);
    }

    @Override
    void advance(Duration duration) {
        now += duration.toMillis();
    }
}
