package dev.musicshare.stream;

import dev.musicshare.codec.StreamTags;
import java.util.ArrayDeque;

/**
 * Title changes waiting for the audio they belong to. A sender posts its metadata when the track changes, but the
 * last chunks of the previous track may still be held back (the reorder window) when it arrives: applied on arrival,
 * a new title would start a chunk or more early. So a change waits for the first chunk whose midpoint is past the
 * metadata's {@code timestamp}, which is on the sender's playback clock, as the chunks' timestamps are (README,
 * "share"): the change lands at the chunk boundary nearest to it.
 *
 * <p>Timestamps more than {@link #SAME_CLOCK_MILLIS} apart are taken to be on different clocks (a sender that sets
 * only one of them, so the server's arrival time stands in for the other): such a change is due at once, as before.
 * Not thread-safe: the session's encoding lock guards it.
 */
final class TitleChanges {
    /** A sender's metadata is not posted this long before the audio it belongs to. */
    static final long SAME_CLOCK_MILLIS = 60_000;

    private record Change(StreamTags tags, long timestamp) {}

    private final ArrayDeque<Change> waiting = new ArrayDeque<>();

    /** @param timestamp the metadata's {@code timestamp}, epoch millis on the sender's clock */
    void add(StreamTags tags, long timestamp) {
        waiting.add(new Change(tags, timestamp));
    }

    /** The newest change due with {@code chunk}, which is about to be encoded (null: none); older ones are passed. */
    StreamTags dueWith(ChunkPcm chunk) {
        long midpoint = chunk.timestamp() + chunk.durationMicros() / 2_000;
        StreamTags due = null;
        while (!waiting.isEmpty()) {
            Change next = waiting.peekFirst();
            if (next.timestamp() > midpoint && next.timestamp() - midpoint <= SAME_CLOCK_MILLIS) break;
            due = waiting.pollFirst().tags();
        }
        return due;
    }
}
