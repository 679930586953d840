package dev.musicshare.redis;

import dev.musicshare.store.ShareStore;
import dev.musicshare.store.StoreSettings;
import dev.musicshare.store.TimelineContract;

class RedisTimelineTest extends TimelineContract {
    @Override
    protected ShareStore createStore(StoreSettings settings) {
        return RedisTestStores.create(settings);
    }
}
