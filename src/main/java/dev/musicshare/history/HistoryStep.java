package dev.musicshare.history;

import java.util.Map;

/**
 * One thing to write to a session's history, in the order it happened. Each step applies to the newest record of
 * its session code (codes are reused, the record id is not), which is also what lets several nodes write to one
 * record: the node that started a session inserts it, every node adds what it counted.
 */
sealed interface HistoryStep {

    /** Whether the step counts against the bound on what is held during a database outage (counters do not). */
    default boolean bounded() {
        return true;
    }

    /** A session started: a new record. */
    record Started(long at) implements HistoryStep {}

    /** A different title/artist than the one before: a new track, heard first at {@code at}. */
    record TrackHeard(String title, String artist, long at) implements HistoryStep {}

    /** The listeners counted at the start of a sampling interval of {@code seconds}. */
    record ListenersSampled(long sampledAt, int listeners, int seconds) implements HistoryStep {}

    /**
     * The session ended. {@code reason}: stopped, expired or interrupted (the server stopped with the session in
     * memory); {@code peakListeners} -1 when unknown.
     */
    record Ended(String reason, long at, int peakListeners) implements HistoryStep {}

    /**
     * What was counted since the previous step: chunks and decoded bytes in, seconds of audio (added to the track
     * playing), bytes out per codec, and the latest activity.
     */
    record Counted(long chunks, long bytes, long audioMicros, long lastActivityAt, Map<String, Long> bytesOut)
            implements HistoryStep {
        @Override
        public boolean bounded() {
            return false;
        }
    }
}
