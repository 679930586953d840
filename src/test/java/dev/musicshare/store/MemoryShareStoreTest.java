package dev.musicshare.store;

import java.time.Duration;

class MemoryShareStoreTest extends ShareStoreContract {
    @Override
    protected ShareStore createStore(StoreSettings settings) {
        return new MemoryShareStore(settings);
    }

    @Override
    protected void advance(Duration duration) {
        now += duration.toMillis();
    }
}
