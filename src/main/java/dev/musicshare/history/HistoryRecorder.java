package dev.musicshare.history;

import dev.musicshare.share.Metadata;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.SessionObserver;
import dev.musicshare.share.SessionStats;
import dev.musicshare.share.ShareEvents;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects session history on the request path without waiting for anything: each call updates the session's
 * {@link SessionLog} inside one atomic map operation, and the history writer takes the logs away in batches.
 *
 * <p>What is held while the database cannot be written is bounded: at most {@code maxPending} starts, ends, track
 * changes and listener samples (beyond that, new ones are dropped and counted); chunk, byte and seconds counters
 * coalesce into one step per session, so they are kept in full however long the outage lasts.
 */
final class HistoryRecorder implements SessionObserver {
    /** Why a record ended, as stored. */
    static final String STOPPED = "stopped";
    static final String EXPIRED = "expired";
    static final String INTERRUPTED = "interrupted";

    private final ConcurrentHashMap<String, SessionLog> logs = new ConcurrentHashMap<>();
    /** The track each session last played, to tell a new track from the metadata repeated every second. */
    private final ConcurrentHashMap<String, Track> playing = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final int maxPending;
    private final Clock clock;

    HistoryRecorder(int maxPending, Clock clock) {
        this.maxPending = maxPending;
        this.clock = clock;
    }

    @Override
    public void started(SessionId id, long at) {
        playing.remove(id.value());
        append(id.value(), new HistoryStep.Started(at));
    }

    @Override
    public void metadataChanged(SessionId id, Metadata metadata, long at) {
        Track track = new Track(Objects.requireNonNullElse(metadata.title(), ""),
                Objects.requireNonNullElse(metadata.artist(), ""));
        if (track.title().isEmpty() && track.artist().isEmpty()) return; // no track named: nothing to list
        if (track.equals(playing.put(id.value(), track))) return;
        append(id.value(), new HistoryStep.TrackHeard(track.title(), track.artist(), at));
    }

    @Override
    public void chunkReceived(SessionId id, long decodedBytes, long durationMicros) {
        long now = clock.millis();
        logs.compute(id.value(), (key, log) -> {
            SessionLog target = log == null ? new SessionLog() : log;
            target.countChunk(decodedBytes, durationMicros, now);
            return target;
        });
    }

    @Override
    public void audioSent(SessionId id, String codec, long bytes) {
        logs.compute(id.value(), (key, log) -> {
            SessionLog target = log == null ? new SessionLog() : log;
            target.countSent(codec, bytes);
            return target;
        });
    }

    @Override
    public void ended(SessionId id, ShareEvents.EndReason reason, long at, int peakListeners) {
        playing.remove(id.value());
        append(id.value(), new HistoryStep.Ended(
                reason == ShareEvents.EndReason.STOPPED ? STOPPED : EXPIRED, at, peakListeners));
    }

    /** Ends every live session now: the server is stopping and its sessions live only in its memory. */
    void interruptAll(List<SessionStats> live, long at) {
        for (SessionStats session : live) {
            playing.remove(session.sessionId());
            append(session.sessionId(), new HistoryStep.Ended(INTERRUPTED, at, session.peakListeners()));
        }
    }

    /**
     * Records each live session's listener count for the interval starting at {@code sampledAt}; every node
     * samples the same interval start, so the database keeps one sample per session and interval.
     */
    void sampleListeners(List<SessionStats> live, long sampledAt, int seconds) {
        for (SessionStats session : live) {
            append(session.sessionId(), new HistoryStep.ListenersSampled(sampledAt, session.listeners(), seconds));
        }
    }

    /** Takes every session's steps, in order per session, leaving the recorder empty. */
    Map<String, List<HistoryStep>> drain() {
        Map<String, List<HistoryStep>> batch = new LinkedHashMap<>();
        for (String sessionId : new ArrayList<>(logs.keySet())) {
            SessionLog log = logs.remove(sessionId);
            if (log != null) batch.put(sessionId, log.steps());
        }
        return batch;
    }

    /** Offers steps again at the next write, ahead of anything recorded for their session since. */
    void offerAgain(Map<String, List<HistoryStep>> unwritten) {
        unwritten.forEach((sessionId, steps) -> logs.compute(sessionId, (key, log) -> {
            SessionLog target = log == null ? new SessionLog() : log;
            target.putFirst(steps);
            return target;
        }));
    }

    /** Steps written (or given up): they no longer count against the bound. */
    void released(int steps) {
        pending.addAndGet(-steps);
    }

    int pending() {
        return pending.get();
    }

    long dropped() {
        return dropped.get();
    }

    private void append(String sessionId, HistoryStep step) {
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        logs.compute(sessionId, (key, log) -> {
            SessionLog target = log == null ? new SessionLog() : log;
            target.add(step);
            return target;
        });
    }

    private record Track(String title, String artist) {}
}
