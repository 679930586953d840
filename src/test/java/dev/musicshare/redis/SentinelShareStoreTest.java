package dev.musicshare.redis;

import dev.musicshare.store.ShareStore;
import dev.musicshare.store.ShareStoreContract;
import dev.musicshare.store.StoreSettings;

/** The store contract on a Sentinel setup: the store finds the master through the sentinels. */
class SentinelShareStoreTest extends ShareStoreContract {
    @Override
    protected ShareStore createStore(StoreSettings settings) {
        return RedisTestStores.onSentinel(settings);
    }
}
