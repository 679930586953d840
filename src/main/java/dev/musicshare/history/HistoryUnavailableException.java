package dev.musicshare.history;

/** The history database did not answer a read; the relay is unaffected and the caller may retry. */
public final class HistoryUnavailableException extends RuntimeException {
    HistoryUnavailableException(Throwable cause) {
        super("The history database is unavailable", cause);
    }
}
