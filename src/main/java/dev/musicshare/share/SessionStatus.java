package dev.musicshare.share;

/**
 * A session as {@code GET /status} reports it.
 *
 * @param isActive      false once the sender stopped (the grace period)
 * @param startTime     epoch millis of the start
 * @param listenerCount distinct listeners seen recently
 * @param title         current track title, null when no metadata is live
 * @param artist        current track artist, null when no metadata is live
 */
public record SessionStatus(boolean isActive, long startTime, int listenerCount, String title, String artist) {}
