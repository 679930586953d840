package dev.musicshare.store;

/**
 * A released chunk as a catch-up read returns it: the sequence number it is ordered by, and its canonical JSON
 * bytes, which readers pass on verbatim (so nobody parses the JSON again to learn its number).
 */
public record BufferedChunk(long sequenceNumber, byte[] json) {}
