package dev.musicshare.store;

/**
 * A session's own timeline: when each chunk is to be heard, on the server's clock (epoch microseconds), the same on
 * every node. The first chunk is anchored at its arrival; each later one follows the one before it by exactly that
 * one's length (sample-accurate: a hole is assumed to hold chunks as long as the one that follows it). Three events
 * re-anchor the timeline, and nothing else does:
 * <ul>
 *   <li>the sender's clock (each chunk's {@code timestamp}, mapped to the server's clock by the offset taken at the
 *       anchor) disagrees with the samples by more than {@link #DRIFT_LIMIT_MICROS}: the sender paused, skipped, or
 *       its audio clock drifted away from its wall clock; the chunk is placed where the sender's clock says;</li>
 *   <li>a chunk arrives more than {@link #LATE_LIMIT_MICROS} after its own presentation time (the sender stalled
 *       without its clock showing it): it is placed at its arrival, and the offset is taken afresh;</li>
 *   <li>after such a stall, once the sender is live again — a chunk arrives at the pace of real time, at least half a
 *       chunk after the one before, rather than in the burst that flushes a sender's backlog — and more than
 *       {@link #EARLY_LIMIT_MICROS} before its time: the stall's delay is given back, the chunk is placed at its
 *       arrival (listeners skip ahead, with a fade, rather than stay behind for good).</li>
 * </ul>
 * Not thread-safe: the memory store's session monitor guards it. {@code resources/redis/timeline.lua} implements
 * the same rule for Redis (with these limits); {@code TimelineContract} holds both to it.
 */
public final class SessionTimeline {
    /** Sender clock against samples: beyond this, the sender's clock wins. */
    public static final long DRIFT_LIMIT_MICROS = 200_000;
    /**
     * A chunk this late for its own time starts a fresh anchor rather than being late for every listener. Just under
     * the listener page's target delay (1 s): a chunk later than its time by less still reaches listeners in time, so
     * a sender's shorter stall costs nobody anything.
     */
    public static final long LATE_LIMIT_MICROS = 900_000;
    /** A chunk this early for its own time, arriving live, pulls the timeline back in (below the late limit). */
    public static final long EARLY_LIMIT_MICROS = 300_000;

    private boolean anchored;
    /** Server clock minus sender clock, microseconds. */
    private long offsetMicros;
    /** The sequence number after the newest placed chunk, and where it would start. */
    private long nextSequence;
    private long nextMicros;
    private long lastArrivalMicros;

    SessionTimeline() {}

    /**
     * @param senderTimestamp the chunk's {@code timestamp}, the sender's clock in epoch millis
     * @return the chunk's presentation time, epoch microseconds on the server's clock
     */
    long place(long sequenceNumber, long durationMicros, long senderTimestamp, long nowMicros) {
        long senderMicros = senderTimestamp * 1000;
        long presentation;
        if (!anchored) {
            anchored = true;
            presentation = nowMicros;
            offsetMicros = nowMicros - senderMicros;
        } else {
            presentation = nextMicros + (sequenceNumber - nextSequence) * durationMicros;
            long bySenderClock = senderMicros + offsetMicros;
            if (Math.abs(presentation - bySenderClock) > DRIFT_LIMIT_MICROS) presentation = bySenderClock;
            boolean live = nowMicros - lastArrivalMicros >= durationMicros / 2;
            if (presentation < nowMicros - LATE_LIMIT_MICROS
                    || (live && presentation > nowMicros + EARLY_LIMIT_MICROS)) {
                presentation = nowMicros;
                offsetMicros = nowMicros - senderMicros;
            }
            if (sequenceNumber < nextSequence) return presentation; // a resend or a straggler: no new anchor
        }
        lastArrivalMicros = nowMicros;
        nextSequence = sequenceNumber + 1;
        nextMicros = presentation + durationMicros;
        return presentation;
    }
}
