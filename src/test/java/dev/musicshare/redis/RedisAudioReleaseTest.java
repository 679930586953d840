package dev.musicshare.redis;

import dev.musicshare.store.AudioReleaseContract;
import dev.musicshare.store.ShareStore;
import dev.musicshare.store.StoreSettings;

class RedisAudioReleaseTest extends AudioReleaseContract {
    @Override
    protected ShareStore createStore(StoreSettings settings) {
        return RedisTestStores.create(settings);
    }
}
