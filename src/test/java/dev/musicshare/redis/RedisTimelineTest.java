package dev.musicshare.redis;

import dev.musicshare.store.ShareStore;
import dev.musicshare.store.StoreSettings;
import dev.musicshare.store.TimelineContract;
import dev.musicshare.testing.SharedStoreLocks;
import org.junit.jupiter.api.parallel.ResourceLock;

@ResourceLock(SharedStoreLocks.SHARED_REDIS)
class RedisTimelineTest extends TimelineContract {
    @Override
    protected ShareStore createStore(StoreSettings settings) {
        return RedisTestStores.create(settings);
    }
}
