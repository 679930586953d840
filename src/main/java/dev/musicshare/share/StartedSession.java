package dev.musicshare.share;

/**
 * A session just started.
 *
 * @param startTime epoch millis
 * @param senderKey the secret its sender presents as {@code X-Sender-Key}; returned once, never stored
 */
public record StartedSession(long startTime, SenderKey senderKey) {}
