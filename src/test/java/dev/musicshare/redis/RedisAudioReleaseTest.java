package dev.musicshare.redis;

import dev.musicshare.store.AudioReleaseContract;
import dev.musicshare.store.ShareStore;
import dev.musicshare.store.StoreSettings;
import dev.musicshare.testing.SharedStoreLocks;
import org.junit.jupiter.api.parallel.ResourceLock;

@ResourceLock(SharedStoreLocks.SHARED_REDIS)
class RedisAudioReleaseTest extends AudioReleaseContract {
    @Override
    protected ShareStore createStore(StoreSettings settings) {
        return RedisTestStores.create(settings);
    }
}
