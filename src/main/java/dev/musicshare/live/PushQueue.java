package dev.musicshare.live;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The outgoing queue policy of one push connection, without threads or sockets (its caller holds the lock):
 * <ul>
 *   <li>audio in sequence order, never twice: a chunk at or below the last one queued is left out, which is also
 *       what makes the seam between the catch-up backlog and the live stream exact;</li>
 *   <li>never a silent skip: a chunk that is not the next after the last one queued (or named by a {@code gap}) is
 *       preceded by a {@code gap} naming the numbers in between — whatever became of them (a sender that never sent
 *       them, a hole the reorder window gave up on, chunks a failover lost before they were published), the
 *       listener will not get them and is told so, as issue #16 asks ("every missed stretch is a gap event, never
 *       silence");</li>
 *   <li>metadata identical to the last queued is left out (the same update read at the seam and heard live);</li>
 *   <li>bounded by {@link LiveLimits#maxQueuedEvents()} and {@link LiveLimits#maxQueuedBytes()}: on overflow the
 *       queued audio is dropped for one {@code gap} event naming it, so the listener continues live;</li>
 *   <li>more than {@link LiveLimits#maxOverflows()} overflows and the listener is too slow to keep: the queue is
 *       emptied and the caller disconnects it.</li>
 * </ul>
 */
final class PushQueue {
    /** What became of an offered event. */
    enum Outcome {
        QUEUED,
        /** A repeat (audio already queued, metadata unchanged), or offered after the end. */
        LEFT_OUT,
        /** It overflowed once too often: the queue is now empty and the listener should be disconnected. */
        TOO_SLOW
    }

    private final LiveLimits limits;
    /** Whether skipped sequence numbers are named by a gap (not for a consumer that fills holes itself). */
    private final boolean namesSkips;
    private final ArrayDeque<LiveEvent> events = new ArrayDeque<>();
    private long bytes;
    private long lastSequence;
    private byte[] lastMetadata;
    private int overflows;
    private boolean ended;

    /** @param since the last sequence number the listener has (-1: none), so catch-up starts after it */
    PushQueue(LiveLimits limits, long since) {
        this(limits, since, true);
    }

    /**
     * @param since      the last sequence number the listener has (-1: none), so catch-up starts after it
     * @param namesSkips false for a consumer that fills holes in the sequence itself (the Opus encoder's feed): it
     *                   gets gaps only for what the queue dropped
     */
    PushQueue(LiveLimits limits, long since, boolean namesSkips) {
        this.limits = limits;
        this.lastSequence = since;
        this.namesSkips = namesSkips;
    }

    /** The last sequence number queued (or the {@code since} it started from): where the listener resumes. */
    long lastSequence() {
        return lastSequence;
    }

    Outcome offer(LiveEvent event) {
        if (ended) return Outcome.LEFT_OUT;
        long skippedFrom = -1; // the first number skipped before this chunk, if any
        if (event.isAudio()) {
            if (event.sequenceNumber() <= lastSequence) return Outcome.LEFT_OUT;
            // With since = -1 the listener asked for whatever is held: nothing before the first chunk is owed.
            if (namesSkips && lastSequence >= 0 && event.sequenceNumber() > lastSequence + 1) {
                skippedFrom = lastSequence + 1;
            }
            lastSequence = event.sequenceNumber();
        } else if (event.name().equals(LiveEvent.GAP)) {
            lastSequence = Math.max(lastSequence, event.gapTo()); // accounted for: what follows it is no skip
        } else if (event.name().equals(LiveEvent.METADATA)) {
            if (Arrays.equals(event.json(), lastMetadata)) return Outcome.LEFT_OUT;
            lastMetadata = event.json();
        }
        if (events.size() >= limits.maxQueuedEvents() || bytes + event.size() > limits.maxQueuedBytes()) {
            if (++overflows > limits.maxOverflows()) {
                clear();
                return Outcome.TOO_SLOW;
            }
            skipAhead(event, skippedFrom);
        } else if (skippedFrom >= 0) {
            add(LiveEvent.gap(skippedFrom, event.sequenceNumber() - 1));
        }
        add(event);
        return Outcome.QUEUED;
    }

    /** Marks the end of the stream: what is queued is still written, nothing offered later is. */
    void end() {
        ended = true;
    }

    /** True once the end was marked and everything before it taken. */
    boolean drainedToEnd() {
        return ended && events.isEmpty();
    }

    /** The next event to write, or null when none is queued. */
    LiveEvent poll() {
        LiveEvent next = events.poll();
        if (next != null) bytes -= next.size();
        return next;
    }

    void clear() {
        events.clear();
        bytes = 0;
    }

    long bytes() {
        return bytes;
    }

    int size() {
        return events.size();
    }

    /**
     * Replaces the queued audio with one gap event naming the sequence numbers dropped, and those skipped before the
     * incoming chunk ({@code skippedFrom}, -1 if none), which follow them.
     */
    private void skipAhead(LiveEvent incoming, long skippedFrom) {
        long from = -1;
        long to = -1;
        for (Iterator<LiveEvent> it = events.iterator(); it.hasNext(); ) {
            LiveEvent queued = it.next();
            if (!queued.isAudio()) continue;
            if (from < 0) from = queued.sequenceNumber();
            to = queued.sequenceNumber();
            bytes -= queued.size();
            it.remove();
        }
        if (skippedFrom >= 0) {
            if (from < 0) from = skippedFrom;
            to = incoming.sequenceNumber() - 1;
        }
        // Nothing audio was queued (only metadata filled it): the gap is the one chunk before the incoming one.
        if (from < 0) from = to = incoming.isAudio() ? incoming.sequenceNumber() - 1 : lastSequence;
        add(LiveEvent.gap(from, to));
    }

    private void add(LiveEvent event) {
        events.add(event);
        bytes += event.size();
    }
}
