package dev.musicshare.store;

/** The backing store could not be reached or did not answer in time. The operation may or may not have happened. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
