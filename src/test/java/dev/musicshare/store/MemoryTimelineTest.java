package dev.musicshare.store;

class MemoryTimelineTest extends TimelineContract {
    @Override
    ShareStore createStore(StoreSettings settings) {
        return new MemoryShareStore(settings);
    }
}
