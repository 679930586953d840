package dev.musicshare.redis;

import dev.musicshare.store.AudioReleaseContract;
import dev.musicshare.store.ShareStore;
import dev.musicshare.store.StoreSettings;
import dev.musicshare.testing.SharedStoreLocks;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The audio release contract (ordering, holes, the reorder window) on a 3-master Redis Cluster. */
@ResourceLock(SharedStoreLocks.CLUSTER)
class ClusterAudioReleaseTest extends AudioReleaseContract {
    @Override
    protected ShareStore createStore(StoreSettings settings) {
        return RedisTestStores.onCluster(settings);
    }
}
