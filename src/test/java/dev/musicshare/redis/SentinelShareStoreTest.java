package dev.musicshare.redis;

import dev.musicshare.store.ShareStore;
import dev.musicshare.store.ShareStoreContract;
import dev.musicshare.store.StoreSettings;
import dev.musicshare.testing.SharedStoreLocks;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The store contract on a Sentinel setup: the store finds the master through the sentinels. */
@ResourceLock(SharedStoreLocks.SENTINEL)
class SentinelShareStoreTest extends ShareStoreContract {
    @Override
    protected ShareStore createStore(StoreSettings settings) {
        return RedisTestStores.onSentinel(settings);
    }
}
