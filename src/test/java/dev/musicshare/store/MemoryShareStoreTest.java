package dev.musicshare.store;


class MemoryShareStoreTest extends ShareStoreContract {
    @Override
    protected ShareStore createStore(StoreSettings settings) {
        return new MemoryShareStore(settings);
    }

    /** It takes the time it is given: the contract only moves {@code now}. */
    @Override
    protected boolean keepsRealTime() {
        return false;
    }
}
