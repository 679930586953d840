package dev.musicshare.store;

/**
 * The backing store refused a write because it is out of memory (Redis at {@code maxmemory} with the
 * {@code noeviction} policy). Nothing was changed: every write is one script, which a full Redis refuses whole.
 */
public class StoreFullException extends StoreUnavailableException {
    public StoreFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
