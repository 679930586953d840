package dev.musicshare.share;

/**
 * An active session as operators see it.
 *
 * @param sessionId     the session's id
 * @param ageSeconds    since it started
 * @param listeners     listeners now
 * @param peakListeners the most at once
 * @param chunks        audio chunks received
 * @param bytes         decoded audio bytes received
 * @param lastActivity  epoch millis of the last sender request
 */
public record SessionStats(String sessionId, double ageSeconds, int listeners, int peakListeners, long chunks,
        long bytes, long lastActivity) {}
