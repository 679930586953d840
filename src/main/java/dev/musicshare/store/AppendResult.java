package dev.musicshare.store;

import java.util.List;

/**
 * What became of an appended chunk.
 *
 * @param outcome   whether the session took the write at all
 * @param buffered  false when the chunk came too late: its place in the stream was already passed
 * @param released  chunks that listeners may now have, in sequence order (this one, and any it unblocked)
 * @param holdUntil when a hole before held chunks will be skipped (epoch millis), or 0 when nothing is held
 */
public record AppendResult(WriteOutcome outcome, boolean buffered, List<StoredChunk> released, long holdUntil) {
    public static AppendResult refused(WriteOutcome outcome) {
        return new AppendResult(outcome, false, List.of(), 0);
    }
}
