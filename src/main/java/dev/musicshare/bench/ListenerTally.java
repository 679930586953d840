package dev.musicshare.bench;

import java.util.BitSet;

/** What one listener received: for counting lost, duplicated and out-of-order chunks. */
final class ListenerTally {
    private final BitSet seen = new BitSet();
    private long highest = -1;
    private long duplicates;
    private long outOfOrder;
    private long received;

    synchronized void receive(long sequence) {
        received++;
        if (seen.get((int) sequence)) duplicates++;
        if (sequence < highest) outOfOrder++;
        seen.set((int) sequence);
        highest = Math.max(highest, sequence);
    }

    synchronized long highest() {
        return highest;
    }

    /** Sequence numbers 0..lastSent this listener never got. */
    synchronized long lost(long lastSent) {
        return lastSent + 1 - seen.get(0, (int) lastSent + 1).cardinality();
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long outOfOrder() {
        return outOfOrder;
    }

    synchronized long received() {
        return received;
    }
}
