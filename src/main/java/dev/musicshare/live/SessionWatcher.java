package dev.musicshare.live;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes a session's events reach this node while it has listeners for it: nothing to do in one process; a Redis
 * channel subscription across nodes. {@link #watch} and {@link #unwatch} are called in order per session and must
 * not block; {@link #awaitWatching} waits for the subscription to be in effect.
 */
public interface SessionWatcher {
    SessionWatcher IN_PROCESS = new SessionWatcher() {
        @Override
        public CompletableFuture<?> watch(String sessionId) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void unwatch(String sessionId) {}
    };

    /** Starts (or joins) watching; the future completes when events flow. */
    CompletableFuture<?> watch(String sessionId);

    void unwatch(String sessionId);

    default void awaitWatching(CompletableFuture<?> watching) {
        try {
            watching.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new dev.musicshare.store.StoreUnavailableException("live events cannot be subscribed to", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
