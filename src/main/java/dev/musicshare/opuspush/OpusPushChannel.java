package dev.musicshare.opuspush;

import dev.musicshare.codec.OpusFrame;
import dev.musicshare.codec.OpusStreamEncoder;
import dev.musicshare.live.LiveConnection;
import dev.musicshare.live.LiveEvent;
import dev.musicshare.stream.OpusSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One session's Opus push listeners on this node, fed by the session's encoder as a single {@link OpusSink}: each
 * chunk's frames become one event, serialised once, queued to every listener. The last few seconds of events are
 * kept so a listener that joins or resumes ({@code since}, {@code Last-Event-ID}) starts from them, as PCM listeners
 * start from the store's buffer.
 *
 * <p>The encoder calls in under its session's lock, in stream order; listeners join and leave from request and
 * writer threads. This object's lock orders the two, so a joining listener's backlog and its first live event meet
 * without a gap or a repeat. Calls only queue (never block on a socket).
 */
final class OpusPushChannel implements OpusSink {
    /** About the store's audio buffer (50 chunks of 0.1 s), what a PCM listener can resume from. */
    static final long RECENT_MICROS = OpusSink.RECENT_MICROS;

    private final String sessionId;
    private final ArrayDeque<Recent> recent = new ArrayDeque<>();
    private long recentMicros;
    private final Map<LiveConnection, Listener> listeners = new LinkedHashMap<>();
    private int channels = 2;
    private int preSkip;
    private long lastSequence = -1;
    /** When the sample after the last frame sent is to be heard, epoch ms; NaN when not known. */
    private double nextPresentationTime = Double.NaN;
    private boolean ended;

    private record Recent(long sequenceNumber, LiveEvent event, long durationMicros) {}

    /**
     * One listener: {@code resumeCheck} is the {@code since} it came with, while its first audio event is still to
     * be checked for a hole before it (it joined before this node had encoded anything); -1 once checked.
     */
    private static final class Listener {
        long resumeCheck;

        Listener(long resumeCheck) {
            this.resumeCheck = resumeCheck;
        }
    }

    OpusPushChannel(String sessionId) {
        this.sessionId = sessionId;
    }

    String sessionId() {
        return sessionId;
    }

    /**
     * Adds a listener and ends its catch-up: {@code backlog} (metadata), a {@code gap} if what follows {@code since}
     * is no longer held, the recent events after {@code since}, then live ones. A listener that comes after the
     * stream ended gets its backlog, then the end.
     */
    synchronized void subscribe(LiveConnection connection, long since, List<LiveEvent> backlog) {
        List<LiveEvent> events = new ArrayList<>(backlog);
        List<Recent> newer = recent.stream().filter(r -> r.sequenceNumber() > since).toList();
        long resumeCheck = -1;
        if (since >= 0) {
            long firstHeld = !newer.isEmpty() ? newer.get(0).sequenceNumber()
                    : lastSequence >= 0 ? lastSequence + 1 : -1;
            if (firstHeld > since + 1) events.add(LiveEvent.gap(since + 1, firstHeld - 1));
            if (firstHeld < 0) resumeCheck = since;
        }
        newer.forEach(r -> events.add(r.event()));
        connection.finishEncodedCatchUp(events);
        if (ended) {
            connection.finishEncoded(endingFor(connection, true));
            return;
        }
        listeners.put(connection, new Listener(resumeCheck));
    }

    synchronized void unsubscribe(LiveConnection connection) {
        listeners.remove(connection);
    }

    synchronized int listenerCount() {
        return listeners.size();
    }

    /** A new channel on a running encoder is first handed its recent frames, so its first listener gets them too. */
    @Override
    public boolean wantsRecent() {
        return true;
    }

    @Override
    public synchronized void started(int channels, int preSkip) {
        this.channels = channels;
        this.preSkip = preSkip;
    }

    @Override
    public synchronized void frames(List<OpusFrame> frames, Origin origin) {
        long duration = frames.stream().mapToLong(OpusFrame::durationMicros).sum();
        if (origin == null) {
            // Silence the node encodes while the sender pauses (for stream.ogg's players): push listeners, as with
            // PCM, hear nothing until the sender resumes; a decoder treats the jump like a lost packet.
            nextPresentationTime = Double.NaN;
            return;
        }
        // A decoder's output trails the encoder's input by the look-ahead (RFC 7845's pre-skip): the first decoded
        // sample of these frames is input from preSkip samples before the first frame's place in the stream, so it
        // is to be heard that much earlier. A client schedules decoded audio at presentationTime as it comes, with
        // no need to know the pre-skip (and at the stream's start drops preSkip samples, which lands it on the
        // chunk's own time).
        double leadMillis = (origin.leadSamples() + preSkip) * 1000.0 / OpusPushEvents.SAMPLE_RATE;
        double presentationTime = Double.isNaN(origin.presentationTime()) ? Double.NaN
                : origin.presentationTime() - leadMillis;
        LiveEvent event = OpusPushEvents.audio(origin.sequenceNumber(), origin.timestamp(), presentationTime,
                leadMillis, channels, origin.firstSample() == 0 ? preSkip : -1, frames);
        nextPresentationTime = presentationTime + duration / 1000.0;
        lastSequence = origin.sequenceNumber();
        remember(new Recent(origin.sequenceNumber(), event, duration));
        for (Map.Entry<LiveConnection, Listener> entry : listeners.entrySet()) {
            Listener listener = entry.getValue();
            if (listener.resumeCheck >= 0 && origin.sequenceNumber() > listener.resumeCheck + 1) {
                entry.getKey().offerEncoded(LiveEvent.gap(listener.resumeCheck + 1, origin.sequenceNumber() - 1));
            }
            listener.resumeCheck = -1;
            entry.getKey().offerEncoded(event);
        }
    }

    /** Chunks the encoder skipped: each listener gets a {@code gap} before the frames that follow (silence). */
    @Override
    public synchronized void skipped(long from, long to) {
        LiveEvent gap = LiveEvent.gap(from, to);
        for (LiveConnection connection : listeners.keySet()) connection.offerEncoded(gap);
    }

    /**
     * The session's stream ended ({@code ending} holds its last frames) or broke off on this node ({@code null}:
     * listeners are asked to reconnect, unless the hub already told them the session ended).
     */
    @Override
    public synchronized void ended(OpusStreamEncoder.Ending ending) {
        ended = true;
        LiveEvent last = ending == null || ending.frames().isEmpty() ? null
                : OpusPushEvents.last(nextPresentationTime, channels, ending.padding(), ending.frames());
        for (LiveConnection connection : listeners.keySet()) {
            if (last != null) connection.offerEncoded(last);
            connection.finishEncoded(endingFor(connection, ending != null));
        }
        listeners.clear();
    }

    synchronized boolean isEnded() {
        return ended;
    }

    /** The event that closes {@code connection}'s stream: the session's end, or a request to reconnect. */
    static LiveEvent endingFor(LiveConnection connection, boolean sessionEnded) {
        LiveEvent fromHub = connection.endedFromHub();
        if (fromHub != null) return fromHub;
        return sessionEnded ? LiveEvent.ended("stopped") : LiveEvent.reconnect("opus encoding stopped on this node");
    }

    private void remember(Recent event) {
        recent.addLast(event);
        recentMicros += event.durationMicros();
        while (recent.size() > 1 && recentMicros - recent.peekFirst().durationMicros() >= RECENT_MICROS) {
            recentMicros -= recent.removeFirst().durationMicros();
        }
    }
}
