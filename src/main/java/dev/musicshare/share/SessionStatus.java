package dev.musicshare.share;

import java.util.List;

/**
 * A session as {@code GET /status} reports it.
 *
 * @param isActive       false once the sender stopped (the grace period)
 * @param startTime      epoch millis of the start
 * @param listenerCount  distinct listeners seen recently
 * @param title          current track title, null when no metadata is live
 * @param artist         current track artist, null when no metadata is live
 * @param listenerNames  display names of listeners there now, sorted, at most 10
 * @param otherListeners listeners counted but not named above ("and 3 others")
 */
public record SessionStatus(boolean isActive, long startTime, int listenerCount, String title, String artist,
        List<String> listenerNames, int otherListeners) {}
