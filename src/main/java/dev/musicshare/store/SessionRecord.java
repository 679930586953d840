package dev.musicshare.store;

/**
 * A session's state as a store holds it.
 *
 * @param id             the 6-digit session id
 * @param active         false once the sender stopped it
 * @param startTime      epoch millis of the start
 * @param lastActivity   epoch millis of the last sender request
 * @param stoppedAt      epoch millis of the stop, or 0 while active
 * @param bytesReceived  decoded audio bytes received over the session's life
 * @param chunksReceived audio chunks received over the session's life
 * @param peakListeners  the most listeners counted at once
 * @param epoch          random per start: tells this life of the id from earlier ones ("" when unknown)
 */
public record SessionRecord(
        String id, boolean active, long startTime, long lastActivity, long stoppedAt, long bytesReceived,
        long chunksReceived, int peakListeners, String epoch) {}
