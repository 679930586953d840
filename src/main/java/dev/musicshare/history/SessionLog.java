package dev.musicshare.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One session's history steps not yet written, in order. Chunk and byte counts are added to one open
 * {@link HistoryStep.Counted} until another step follows, so a session costs a few objects per flush however many
 * chunks it sends, and audio is credited to the track that was playing when it arrived. Not thread-safe: the
 * recorder changes it only inside its map's atomic {@code compute}.
 */
final class SessionLog {
    private final List<HistoryStep> steps = new ArrayList<>();
    private long chunks;
    private long bytes;
    private long audioMicros;
    private long lastActivity;
    private Map<String, Long> bytesOut;

    /** Puts steps that could not be written yet in front of those recorded since. */
    void putFirst(List<HistoryStep> earlier) {
        steps.addAll(0, earlier);
    }

    void add(HistoryStep step) {
        sealCounters();
        steps.add(step);
    }

    void countChunk(long decodedBytes, long durationMicros, long at) {
        chunks++;
        bytes += decodedBytes;
        audioMicros += durationMicros;
        lastActivity = Math.max(lastActivity, at);
    }

    void countSent(String codec, long sent) {
        if (bytesOut == null) bytesOut = new HashMap<>(4);
        bytesOut.merge(codec, sent, Long::sum);
    }

    /** Every step, counters last; the log is not used again. */
    List<HistoryStep> steps() {
        sealCounters();
        return steps;
    }

    private void sealCounters() {
        if (chunks == 0 && bytesOut == null) return;
        steps.add(new HistoryStep.Counted(chunks, bytes, audioMicros, lastActivity,
                bytesOut == null ? Map.of() : Map.copyOf(bytesOut)));
        chunks = 0;
        bytes = 0;
        audioMicros = 0;
        lastActivity = 0;
        bytesOut = null;
    }
}
