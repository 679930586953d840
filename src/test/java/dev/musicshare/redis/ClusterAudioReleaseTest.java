package dev.musicshare.redis;

import dev.musicshare.store.AudioReleaseContract;
import dev.musicshare.store.ShareStore;
import dev.musicshare.store.StoreSettings;

/** The audio release contract (ordering, holes, the reorder window) on a 3-master Redis Cluster. */
class ClusterAudioReleaseTest extends AudioReleaseContract {
    @Override
    protected ShareStore createStore(StoreSettings settings) {
        return RedisTestStores.onCluster(settings);
    }
}
