package dev.musicshare.config;

/**
 * Request limits; 0 turns a limit off.
 *
 * @param startsPerMinute        session starts per client address per minute
 * @param missesPerMinute        lookups of unknown session ids per client address per minute
 * @param senderRequestsPerSecond sender requests per session per second (twice that in a burst)
 */
public record RateLimitSettings(int startsPerMinute, int missesPerMinute, int senderRequestsPerSecond) {}
