package dev.musicshare.store;

/**
 * Where a chunk sits on its session's timeline.
 *
 * @param outcome            whether the session took the write at all (as for the chunk itself)
 * @param presentationMicros when the chunk is to be heard, epoch microseconds on the server's clock (0 if refused)
 */
public record TimelinePlacement(WriteOutcome outcome, long presentationMicros) {}
