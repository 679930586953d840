package dev.musicshare.history;

import java.util.Map;

/**
 * One session's record as operators see it.
 *
 * @param id               the record's own id (session codes are reused; this is not)
 * @param sessionId        the 6-digit code it ran under
 * @param startedAt        epoch ms
 * @param endedAt          epoch ms, or null while it is live
 * @param endReason        stopped, expired, interrupted (the server stopped while it ran), or null while live
 * @param durationSeconds  start to end, or to now while live
 * @param chunksIn         audio chunks received
 * @param bytesIn          decoded audio bytes received
 * @param audioSeconds     seconds of audio received
 * @param bytesOut         bytes of audio sent to listeners, per codec ("pcm", "opus")
 * @param peakListeners    the most listeners counted at once (the store's peak or the highest sample)
 * @param averageListeners the mean of the listener samples (0 without samples)
 * @param listenerMinutes  the samples' listeners times the minutes each stands for
 * @param tracks           tracks heard
 */
public record SessionSummary(long id, String sessionId, long startedAt, Long endedAt, String endReason,
        double durationSeconds, long chunksIn, long bytesIn, double audioSeconds, Map<String, Long> bytesOut,
        int peakListeners, double averageListeners, double listenerMinutes, int tracks) {}
