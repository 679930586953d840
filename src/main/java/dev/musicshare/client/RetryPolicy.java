package dev.musicshare.client;

import java.io.IOException;

/**
 * The one policy by which the reference clients (share, listen by push or by polling) wait out a server they cannot
 * reach or that answers 429/5xx: a pause after each failed attempt, doubling from 1 s to at most 15 s, for a set
 * number of retries (6 by default: about 45 s in all). While it waits it tells a {@link Countdown} every second, so
 * a person sees what is happening instead of a silent pause.
 */
public final class RetryPolicy {
    /** The default number of retries: pauses of 1, 2, 4, 8, 15 and 15 s. */
    public static final int DEFAULT_RETRIES = 6;
    private static final int FIRST_PAUSE_SECONDS = 1;
    private static final int LONGEST_PAUSE_SECONDS = 15;

    /** Told each second of a pause: what is retried, why, how long until the next attempt, which attempt that is. */
    public interface Countdown {
        void waiting(String target, String cause, int secondsLeft, int nextAttempt, int attempts);
    }

    private final int retries;
    private final Countdown countdown;

    public RetryPolicy(int retries, Countdown countdown) {
        if (retries < 0) throw new IllegalArgumentException("retries must not be negative, was " + retries);
        this.retries = retries;
        this.countdown = countdown;
    }

    /** The default retries, waiting silently. */
    public static RetryPolicy quiet() {
        return new RetryPolicy(DEFAULT_RETRIES, (target, cause, secondsLeft, attempt, attempts) -> { });
    }

    /** Attempts in all: the first and the retries. */
    public int attempts() {
        return retries + 1;
    }

    /** Seconds paused before attempt {@code attempt + 1}. */
    public static int pauseSeconds(int attempt) {
        return Math.min(LONGEST_PAUSE_SECONDS, FIRST_PAUSE_SECONDS << Math.min(attempt - 1, 4));
    }

    /** Seconds spent pausing over all the retries, for the final message. */
    int totalPauseSeconds() {
        int total = 0;
        for (int attempt = 1; attempt <= retries; attempt++) total += pauseSeconds(attempt);
        return total;
    }

    /** Pauses after failed attempt {@code attempt} (1-based), counting down each second. */
    void pauseAfter(int attempt, String target, String cause) throws IOException {
        int seconds = pauseSeconds(attempt);
        try {
            for (int left = seconds; left > 0; left--) {
                countdown.waiting(target, cause, left, attempt + 1, attempts());
                Thread.sleep(1_000);
            }
            countdown.waiting(target, cause, 0, attempt + 1, attempts());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The one line that ends a run when every attempt failed. */
    IOException gaveUp(String target, Throwable lastFailure) {
        String after = retries == 0 ? "" : " (gave up after " + attempts() + " attempts over " + totalPauseSeconds()
                + " s)";
        if (lastFailure instanceof ShareApi.ApiError refused) {
            return new ShareApi.ApiError(refused.status(), refused.getMessage() + after);
        }
        return new IOException("cannot reach " + target + ": " + ConnectionFailure.describe(lastFailure) + after,
                lastFailure);
    }
}
