package dev.musicshare.redis;

import dev.musicshare.store.ShareStore;
import dev.musicshare.store.ShareStoreContract;
import dev.musicshare.store.StoreSettings;

/** The store contract on a 3-master Redis Cluster: each session's keys on the master of its slot, the registry on one. */
class ClusterShareStoreTest extends ShareStoreContract {
    @Override
    protected ShareStore createStore(StoreSettings settings) {
        return RedisTestStores.onCluster(settings);
    }
}
