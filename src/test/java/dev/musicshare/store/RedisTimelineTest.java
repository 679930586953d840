package dev.musicshare.store;

class RedisTimelineTest extends TimelineContract {
    @Override
    ShareStore createStore(StoreSettings settings) {
        return RedisTestStores.create(settings);
    }
}
