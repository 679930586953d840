package dev.musicshare.store;

/**
 * An audio chunk as stored: its sequence number (the buffer's sort key), its canonical JSON bytes, which readers
 * receive verbatim, and how much audio it holds (for the buffer's duration cap). The store never looks inside
 * {@code json}.
 */
public record StoredChunk(long sequenceNumber, byte[] json, long durationMicros) {}
