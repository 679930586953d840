package dev.musicshare.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The memory store's audio buffer: chunks by sequence number, capped by count and by total duration, with a release
 * frontier. Listeners see chunks up to {@code released}, the highest sequence number with no hole before it; chunks
 * beyond a hole wait until it fills or the reorder window passes. Senders that post concurrently (the desktop app
 * does) deliver out of order, and a poller asking for "newer than the highest I have" would otherwise skip the
 * chunk still in flight. Not thread-safe: its session's monitor guards it. The Redis store's append script
 * implements the same rules.
 */
final class ReleasingBuffer {
    private final StoreSettings settings;
    private final TreeMap<Long, StoredChunk> chunks = new TreeMap<>();
    private long totalMicros;
    /** Highest sequence number listeners may have; -1 before the first release (streams start at 0). */
    private long released = -1;
    /** When the current hole began holding chunks back, or 0 when nothing is held. */
    private long holdingSince;

    ReleasingBuffer(StoreSettings settings) {
        this.settings = settings;
    }

    AppendResult append(StoredChunk chunk, long now) {
        long sequence = chunk.sequenceNumber();
        List<StoredChunk> newlyReleased = new ArrayList<>();
        if (sequence <= released) {
            if (!chunks.containsKey(sequence)) {
                return new AppendResult(WriteOutcome.WRITTEN, false, List.of(), holdUntil());
            }
            put(chunk); // a resend of a released chunk: replaced for later readers, not released again
        } else {
            put(chunk);
            advance(newlyReleased);
        }
        newlyReleased.addAll(releaseDue(now).chunks());
        trim(newlyReleased);
        holdingSince = hasHeld() ? (holdingSince == 0 ? now : holdingSince) : 0;
        return new AppendResult(WriteOutcome.WRITTEN, true, newlyReleased, holdUntil());
    }

    /** Skips each hole whose window has passed; every skip gives the next hole a fresh window. */
    Released releaseDue(long now) {
        List<StoredChunk> newlyReleased = new ArrayList<>();
        while (holdingSince > 0 && now >= holdingSince + settings.reorderWindow().toMillis()) {
            released = chunks.higherKey(released) - 1;
            advance(newlyReleased);
            holdingSince = hasHeld() ? now : 0;
        }
        return new Released(newlyReleased, holdUntil());
    }

    List<BufferedChunk> readReleased(long since) {
        List<BufferedChunk> read = new ArrayList<>();
        if (since >= released) return read;
        for (StoredChunk chunk : chunks.subMap(since, false, released, true).values()) {
            read.add(new BufferedChunk(chunk.sequenceNumber(), chunk.json()));
        }
        return read;
    }

    List<StoredChunk> releasedAfter(long since) {
        if (since >= released) return List.of();
        return List.copyOf(chunks.subMap(since, false, released, true).values());
    }

    /** The release frontier: the highest sequence number listeners may have had, -1 before any. */
    long released() {
        return released;
    }

    /**
     * Empties the buffer (its TTL ran out) but keeps the frontier: a sender resuming after a pause continues its
     * numbering, and its next chunk must not wait for sequence numbers that were released long ago.
     */
    void clear() {
        chunks.clear();
        totalMicros = 0;
        holdingSince = 0;
    }

    private void put(StoredChunk chunk) {
        StoredChunk replaced = chunks.put(chunk.sequenceNumber(), chunk);
        if (replaced != null) totalMicros -= replaced.durationMicros();
        totalMicros += chunk.durationMicros();
    }

    private void advance(List<StoredChunk> newlyReleased) {
        StoredChunk next;
        while ((next = chunks.get(released + 1)) != null) {
            released++;
            newlyReleased.add(next);
        }
    }

    /**
     * Drops the oldest chunks beyond the caps, always keeping the newest. Should that drop held chunks (a hole older
     * than the whole buffer), the hole can never fill in time, so the frontier moves past it at once.
     */
    private void trim(List<StoredChunk> newlyReleased) {
        long maxMicros = settings.audioBufferDuration().toNanos() / 1000;
        while (chunks.size() > 1 && (chunks.size() > settings.audioBufferChunks() || totalMicros > maxMicros)) {
            Map.Entry<Long, StoredChunk> oldest = chunks.pollFirstEntry();
            totalMicros -= oldest.getValue().durationMicros();
            if (oldest.getKey() > released) {
                released = oldest.getKey();
                advance(newlyReleased);
            }
        }
    }

    private boolean hasHeld() {
        return chunks.higherKey(released) != null;
    }

    private long holdUntil() {
        return holdingSince == 0 ? 0 : holdingSince + settings.reorderWindow().toMillis();
    }
}
