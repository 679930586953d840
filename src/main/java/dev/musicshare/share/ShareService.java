package dev.musicshare.share;

import dev.musicshare.share.ShareException.Reason;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.store.AppendResult;
import dev.musicshare.store.BufferedChunk;
import dev.musicshare.store.CatchUpRead;
import dev.musicshare.store.MetadataRead;
import dev.musicshare.store.SessionRecord;
import dev.musicshare.store.ShareStore;
import dev.musicshare.store.StopResult;
import dev.musicshare.store.StoredChunk;
import dev.musicshare.store.TimelinePlacement;
import dev.musicshare.store.WriteOutcome;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of sharing: who may start, write and read a session, and what each answer says. Knows nothing of HTTP;
 * the store makes each step atomic. Every session event is logged once, with its session id.
 */
public final class ShareService {
    private static final Logger log = LoggerFactory.getLogger(ShareService.class);

    private final ShareStore store;
    private final Clock clock;
    private final int maxSessions;
    private final boolean requireSenderKey;
    private final ShareEvents events;
    private final ShareMetrics metrics;
    private final HeldAudioRelease heldAudio;
    private final SessionObserver observer;
    private final DisplayNames displayNames;

    /**
     * @param requireSenderKey when true, sender writes must present the session's key; when false (the seed's
     *                         clients know of none) a presented key is still checked
     */
    public ShareService(ShareStore store, Clock clock, int maxSessions, boolean requireSenderKey, ShareEvents events,
            ShareMetrics metrics) {
        this(store, clock, maxSessions, requireSenderKey, events, metrics, SessionObserver.NONE);
    }

    /** @param observer told of each session's life (session history); it only counts and queues */
    public ShareService(ShareStore store, Clock clock, int maxSessions, boolean requireSenderKey, ShareEvents events,
            ShareMetrics metrics, SessionObserver observer) {
        this.observer = observer;
        this.store = store;
        this.clock = clock;
        this.maxSessions = maxSessions;
        this.requireSenderKey = requireSenderKey;
        this.metrics = metrics;
        this.events = events;
        this.heldAudio = new HeldAudioRelease(store, clock, this::publish);
        this.displayNames = new DisplayNames(store);
    }

    /** Starts a session and returns its start time and sender key. */
    public StartedSession start(SessionId id) {
        long now = clock.millis();
        SenderKey key = SenderKey.generate();
        switch (store.start(id.value(), key.digest(), now)) {
            case IN_USE -> throw new ShareException(Reason.SESSION_IN_USE, "Session ID already in use");
            case FULL -> {
                log.atWarn().addKeyValue("sessionId", id).addKeyValue("maxSessions", maxSessions)
                        .log("session refused: live-session limit reached");
                throw new ShareException(Reason.SESSION_LIMIT_REACHED,
                        "Maximum number of sessions reached (" + maxSessions + "); try again later");
            }
            case STARTED -> {
                displayNames.forget(id);
                metrics.sessionStarted();
                observer.started(id, now);
                log.atInfo().addKeyValue("sessionId", id).log("session started");
            }
        }
        return new StartedSession(now, key);
    }

    /** Replaces the session's metadata and returns how many listeners are tuned in. */
    public int updateMetadata(SessionId id, Metadata metadata, SenderKey presented) {
        long now = clock.millis();
        requireWritten(id, store.putMetadata(id.value(), metadata.toFields(), proof(presented), now));
        metrics.metadataUpdated();
        events.metadataChanged(id, metadata);
        observer.metadataChanged(id, metadata, now);
        return store.listenerCount(id.value(), now);
    }

    /**
     * Buffers a chunk and pushes whatever it releases; returns false when it came too late to be buffered (its
     * place in the stream was already passed).
     */
    public boolean appendAudio(SessionId id, AudioChunk chunk, SenderKey presented) {
        String proof = proof(presented);
        TimelinePlacement placement = store.placeOnTimeline(id.value(), chunk.sequenceNumber(),
                chunk.durationMicros(), chunk.timestamp(), proof, nowMicros());
        requireWritten(id, placement.outcome());
        StoredChunk stored = new StoredChunk(chunk.sequenceNumber(), chunk.toJson(placement.presentationMicros()),
                chunk.durationMicros());
        AppendResult result = store.appendChunk(id.value(), stored, chunk.decodedBytes(), proof, clock.millis());
        requireWritten(id, result.outcome());
        metrics.chunkReceived(chunk.decodedBytes());
        observer.chunkReceived(id, chunk.decodedBytes(), chunk.durationMicros());
        publish(id, result.released());
        heldAudio.holdUntil(id, result.holdUntil());
        return result.buffered();
    }

    /** The upkeep that releases held-back audio once its reorder window has passed. */
    public HeldAudioRelease heldAudio() {
        return heldAudio;
    }

    /** Stops the session; stopping again answers with the same figures. */
    public StopSummary stop(SessionId id, SenderKey presented) {
        long now = clock.millis();
        StopResult result = store.stop(id.value(), proof(presented), now);
        requireWritten(id, result.outcome());
        SessionRecord record = result.record();
        StopSummary summary = new StopSummary((record.stoppedAt() - record.startTime()) / 1000.0,
                record.bytesReceived(), record.chunksReceived(), record.peakListeners());
        if (record.stoppedAt() == now) { // this call stopped it; a repeated stop only reports
            metrics.sessionStopped();
            log.atInfo().addKeyValue("sessionId", id).addKeyValue("durationSeconds", summary.sessionDuration())
                    .addKeyValue("bytes", summary.bytesTransferred()).addKeyValue("chunks", summary.chunksReceived())
                    .addKeyValue("peakListeners", summary.peakListeners()).log("session stopped");
            events.sessionEnded(id, ShareEvents.EndReason.STOPPED);
            observer.ended(id, ShareEvents.EndReason.STOPPED, now, record.peakListeners());
        }
        return summary;
    }

    public SessionStatus status(SessionId id) {
        long now = clock.millis();
        SessionRecord record = store.session(id.value(), now).orElseThrow(() -> notFound(id));
        // Asking for status is not listening: no listener id is recorded for it.
        Map<String, String> fields = store.readMetadata(id.value(), null, now).fields();
        int count = store.listenerCount(id.value(), now);
        List<String> names = displayNames.shown(id, now);
        return new SessionStatus(record.active(), record.startTime(), count, fields.get("title"), fields.get("artist"),
                names, Math.max(0, count - names.size()));
    }

    /** Which life of the id the session is, while it exists (active or in its grace period). */
    public Optional<SessionIdentity> identity(SessionId id) {
        return store.session(id.value(), clock.millis())
                .map(record -> new SessionIdentity(record.startTime(), record.epoch(), record.active()));
    }

    /** The live metadata, recording the caller as a listener. */
    public Metadata metadata(SessionId id, ListenerId listenerId) {
        long now = clock.millis();
        MetadataRead read = store.readMetadata(id.value(), listenerId.value(), now);
        String message = "Session not found or no metadata available"; // the seed's words for both cases
        if (!read.sessionFound()) throw new ShareException(Reason.SESSION_NOT_FOUND, message);
        displayNames.record(id, List.of(listenerId), now);
        if (read.fields().isEmpty()) throw new ShareException(Reason.METADATA_NOT_FOUND, message);
        return Metadata.fromFields(read.fields());
    }

    /**
     * Buffered chunks newer than {@code since}, each with its sequence number and canonical JSON, oldest first,
     * recording the caller as a listener.
     */
    public List<BufferedChunk> audioSince(SessionId id, Since since, ListenerId listenerId) {
        long now = clock.millis();
        List<BufferedChunk> chunks = store.readChunks(id.value(), since.value(), listenerId.value(), now)
                .orElseThrow(() -> notFound(id));
        displayNames.record(id, List.of(listenerId), now);
        long bytes = 0;
        for (BufferedChunk chunk : chunks) bytes += chunk.json().length;
        metrics.chunksServed(chunks.size(), bytes);
        if (bytes > 0) observer.audioSent(id, SessionObserver.CODEC_PCM, bytes);
        return chunks;
    }

    /**
     * A push listener's catch-up in one read of the store: state, metadata and the released chunks after
     * {@code since} (-1: the whole buffer). Records {@code listenerId} as listening unless it is null (a node
     * bringing its own connections up to date), best effort; a listener's display name is written as
     * {@link #audioSince} writes it. The chunks are counted as served; as bytes sent they are counted where they are
     * written to the listener.
     */
    public CatchUp catchUp(SessionId id, long since, ListenerId listenerId) {
        if (since < -1) throw ShareException.invalid("since must be -1 or a sequence number, was " + since);
        long now = clock.millis();
        CatchUpRead read = store.catchUp(id.value(), since, listenerId == null ? null : listenerId.value(), now);
        if (!read.found()) return new CatchUp(CatchUp.State.GONE, Optional.empty(), List.of(), -1);
        List<CatchUp.ReleasedChunk> chunks = read.chunks().stream()
                .map(chunk -> new CatchUp.ReleasedChunk(chunk.sequenceNumber(), chunk.json())).toList();
        if (listenerId != null) {
            displayNames.record(id, List.of(listenerId), now);
            metrics.chunksServed(chunks.size(), chunks.stream().mapToLong(chunk -> chunk.json().length).sum());
        }
        Optional<Metadata> metadata = read.metadata().isEmpty() ? Optional.empty()
                : Optional.of(Metadata.fromFields(read.metadata()));
        return new CatchUp(read.active() ? CatchUp.State.ACTIVE : CatchUp.State.STOPPED, metadata, chunks,
                read.released());
    }

    /** The live metadata, if any, without counting the caller as a listener. */
    public Optional<Metadata> currentMetadata(SessionId id) {
        Map<String, String> fields = store.readMetadata(id.value(), null, clock.millis()).fields();
        return fields.isEmpty() ? Optional.empty() : Optional.of(Metadata.fromFields(fields));
    }

    /** Counts connected push listeners as listening now; called periodically while they stay connected. */
    public void recordListening(SessionId id, Collection<ListenerId> listeners) {
        long now = clock.millis();
        store.touchListeners(id.value(), listeners.stream().map(ListenerId::value).toList(), now);
        displayNames.record(id, listeners, now);
    }

    /** Removes sessions idle past the timeout; called periodically. */
    public void expireIdleSessions() {
        long now = clock.millis();
        for (String id : store.expireIdleSessions(now)) {
            log.atInfo().addKeyValue("sessionId", id).log("session expired: no sender activity within the timeout");
            metrics.sessionExpired();
            events.sessionEnded(new SessionId(id), ShareEvents.EndReason.EXPIRED);
            observer.ended(new SessionId(id), ShareEvents.EndReason.EXPIRED, now, -1);
        }
    }

    /** Active sessions across nodes. */
    public int liveSessionCount() {
        return store.liveSessionCount(clock.millis());
    }

    /** What operators see per active session. */
    public List<SessionStats> liveSessionStats() {
        long now = clock.millis();
        return store.liveSessions(now).stream().map(record -> new SessionStats(record.id(),
                (now - record.startTime()) / 1000.0, store.listenerCount(record.id(), now), record.peakListeners(),
                record.chunksReceived(), record.bytesReceived(), record.lastActivity())).toList();
    }

    /**
     * The parts of the store that do not answer (on a Redis Cluster, masters as {@code host:port}); empty when all do.
     *
     * @throws dev.musicshare.store.StoreUnavailableException when none does
     */
    public List<String> checkStore() {
        return store.ping();
    }

    public String storeKind() {
        return store.kind();
    }

    /** The server's clock to the microsecond, as presentation times and {@code GET /api/clock} give it. */
    public long nowMicros() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    private void publish(SessionId id, List<StoredChunk> released) {
        for (StoredChunk chunk : released) events.audioReleased(id, chunk.sequenceNumber(), chunk.json());
    }

    /** The digest a write presents to the store, or null; refuses a keyless write when keys are required. */
    private String proof(SenderKey presented) {
        if (presented != null) return presented.digest();
        if (requireSenderKey) {
            throw new ShareException(Reason.SENDER_KEY_REQUIRED,
                    "This server requires the session's sender key in an X-Sender-Key header");
        }
        return null;
    }

    private void requireWritten(SessionId id, WriteOutcome outcome) {
        switch (outcome) {
            case NOT_FOUND -> throw notFound(id);
            case NOT_ACTIVE -> throw new ShareException(Reason.SESSION_NOT_ACTIVE, "Session is not active (stopped)");
            case FORBIDDEN -> throw new ShareException(Reason.SENDER_KEY_INVALID,
                    "X-Sender-Key is not this session's sender key");
            case WRITTEN -> { }
        }
    }

    private static ShareException notFound(SessionId id) {
        return new ShareException(Reason.SESSION_NOT_FOUND, "Session not found");
    }
}
