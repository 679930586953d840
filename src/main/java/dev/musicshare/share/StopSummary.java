package dev.musicshare.share;

/**
 * What a stopped session amounted to.
 *
 * @param sessionDuration  seconds from start to stop
 * @param bytesTransferred decoded audio bytes received
 * @param chunksReceived   audio chunks received
 * @param peakListeners    the most listeners counted at once
 */
public record StopSummary(double sessionDuration, long bytesTransferred, long chunksReceived, int peakListeners) {}
