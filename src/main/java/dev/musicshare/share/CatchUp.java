package dev.musicshare.share;

import java.util.List;
import java.util.Optional;

/**
 * What a push listener is owed by a session at one moment: whether it still exists and is active, its metadata, and
 * the released chunks after the listener's last one.
 *
 * @param state    active, stopped (within its grace period) or gone (expired, or never started)
 * @param metadata the live metadata, if any
 * @param chunks   released chunks newer than the {@code since} asked for, in sequence order
 * @param released the highest sequence number listeners may have had (-1: none yet); above the last chunk when the
 *                 buffer no longer holds what was released
 */
public record CatchUp(State state, Optional<Metadata> metadata, List<ReleasedChunk> chunks, long released) {
    public enum State {
        ACTIVE,
        STOPPED,
        GONE
    }

    /** A chunk's sequence number and its canonical JSON, as {@code GET /audio} returns it. */
    public record ReleasedChunk(long sequenceNumber, byte[] json) {}
}
