package dev.musicshare.store;

class MemoryTimelineTest extends TimelineContract {
    @Override
    protected ShareStore createStore(StoreSettings settings) {
        return new MemoryShareStore(settings);
    }
}
