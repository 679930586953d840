package dev.musicshare.reception;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Accounts for the chunks one listener received, by sequence number: how many arrived, which ranges were skipped
 * when they arrived (gaps), and what came twice or out of order. The reference client reports it and decides by it
 * which chunks to keep; the load tool sums it over its listeners. Safe to read from one thread while another
 * receives.
 */
public final class SequenceTally {
    /**
     * How many sequence numbers past the first one received are tracked one by one (2 MB of bits: 46 days of
     * 100 ms chunks). A jump further ahead starts the tracking again from there.
     */
    private static final long TRACKED = 1L << 24;

    private final BitSet seen = new BitSet();
    private final List<long[]> gaps = new ArrayList<>();
    private long base = -1;
    private long highest = -1;
    private long received;
    private long duplicates;
    private long outOfOrder;

    /** Records a chunk; true when it is newer than every chunk before it (the one a player keeps). */
    public synchronized boolean receive(long sequence) {
        received++;
        if (base < 0 || sequence - base >= TRACKED) {
            seen.clear();
            base = sequence;
        }
        boolean newest = sequence > highest;
        if (sequence < base || seen.get((int) (sequence - base))) {
            duplicates++;
            return false;
        }
        seen.set((int) (sequence - base));
        if (!newest) {
            outOfOrder++;
            return false;
        }
        if (sequence > highest + 1) gaps.add(new long[] {highest + 1, sequence - 1});
        highest = sequence;
        return true;
    }

    /** The highest sequence number received, -1 before any: where a listener resumes. */
    public synchronized long highest() {
        return highest;
    }

    /** Sequence numbers 0 to {@code lastSent} that never arrived. */
    public synchronized long lost(long lastSent) {
        if (lastSent < 0) return 0;
        if (base < 0) return lastSent + 1;
        long tracked = lastSent < base ? 0 : seen.get(0, (int) Math.min(TRACKED, lastSent - base + 1)).cardinality();
        return lastSent + 1 - tracked;
    }

    /** Inclusive ranges of sequence numbers skipped over when a later one arrived, oldest first. */
    public synchronized List<long[]> gaps() {
        return List.copyOf(gaps);
    }

    /** Sequence numbers inside {@link #gaps()}. */
    public synchronized long missed() {
        return gaps.stream().mapToLong(gap -> gap[1] - gap[0] + 1).sum();
    }

    public synchronized long received() {
        return received;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long outOfOrder() {
        return outOfOrder;
    }
}
