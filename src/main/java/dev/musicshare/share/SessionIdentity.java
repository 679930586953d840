package dev.musicshare.share;

/**
 * Which life of a session id this is: an id may be started again once its previous session is gone, and tokens of
 * the earlier life must not open the new one.
 *
 * @param startTime epoch millis of the start
 * @param epoch     random per start, kept by the store with the session
 * @param active    false in the grace period after a stop
 */
public record SessionIdentity(long startTime, String epoch, boolean active) {}
