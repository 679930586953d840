package dev.musicshare.history;

import java.util.List;

/**
 * A session's record with its tracks and its listener series.
 *
 * @param summary   the figures
 * @param tracks    in the order they were first heard
 * @param listeners one sample per interval, oldest first
 */
public record SessionDetail(SessionSummary summary, List<TrackPlayed> tracks, List<ListenerSample> listeners) {

    /**
     * @param title         as the sender gave it ("" when it gave none)
     * @param artist        as the sender gave it ("" when it gave none)
     * @param firstHeardAt  epoch ms
     * @param secondsPlayed seconds of audio received while it was the track playing
     */
    public record TrackPlayed(String title, String artist, long firstHeardAt, double secondsPlayed) {}

    /**
     * @param sampledAt epoch ms, the start of the interval
     * @param listeners listeners counted
     */
    public record ListenerSample(long sampledAt, int listeners) {}
}
