package dev.musicshare.recording;

import dev.musicshare.config.RecordingSettings;
import dev.musicshare.lease.RecordingLeases;
import dev.musicshare.lease.RecordingLeases.RecordedSession;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.ShareService;
import dev.musicshare.store.StoreUnavailableException;
import dev.musicshare.stream.OpusStreams;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recording on this node: which sessions are recorded (RECORDING), their recorders on the session's shared Opus
 * encoder, the writer thread, the folder's limits, and — through the {@link LeaseKeeper} — which node records a
 * session when several share one Redis. Nothing here can fail a request: a recording that cannot start or cannot
 * write is logged and counted, and the session goes on.
 *
 * <pre>
 * RECORDING=requested  → curl -X POST …/api/share/start -d '{"sessionId":"123456","record":true}'
 * RECORDING=always     → every session is recorded
 * </pre>
 */
public final class Recordings implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Recordings.class);
    /** How often the folder's limits are applied (also after every finished recording). */
    private static final long RETENTION_MINUTES = 10;

    private final RecordingSettings settings;
    private final OpusStreams opus;
    private final Clock clock;
    private final ShareMetrics metrics;
    private final RecordingLibrary library;
    private final RecordingWriter writer;
    private final RecordingLeases leases;
    private final LeaseKeeper keeper;
    private final Map<RecordedSession, Held> active = new ConcurrentHashMap<>();

    /** A recording this node holds the lease of: its recorder, and how long the lease is surely this node's. */
    record Held(SessionRecorder recorder, LeaseTerm term) {}

    public Recordings(RecordingSettings settings, OpusStreams opus, ShareService shares, RecordingLeases leases,
            Clock clock, ShareMetrics metrics) {
        this(settings, opus, shares, leases, clock, metrics, RecordingWriter.QUEUE_TASKS);
    }

    /** @param queueTasks the writer's queue bound (tests make it small) */
    Recordings(RecordingSettings settings, OpusStreams opus, ShareService shares, RecordingLeases leases, Clock clock,
            ShareMetrics metrics, int queueTasks) {
        this.settings = settings;
        this.opus = opus;
        this.clock = clock;
        this.metrics = metrics;
        this.leases = leases;
        this.library = new RecordingLibrary(settings.directory(), settings.maxBytes(), settings.maxAge(), clock);
        this.writer = new RecordingWriter(queueTasks);
        this.keeper = new LeaseKeeper(this, leases, shares, library, metrics);
        metrics.gauge("musicshare.recordings.active", "Sessions this node is recording now", active::size);
        metrics.gauge("musicshare.recordings.queue", "Recording writes waiting for the disk", writer::pending);
    }

    public RecordingSettings settings() {
        return settings;
    }

    public RecordingLibrary library() {
        return library;
    }

    /** Sessions this node records now. */
    public int activeCount() {
        return active.size();
    }

    /** Whether a session is recorded under RECORDING, given whether its sender asked ({@code "record": true}). */
    public boolean records(boolean requested) {
        return settings.records(requested);
    }

    /**
     * A session has started: records it if RECORDING says so — on this node if it gets the session's lease, which
     * it normally does; if not, the node holding it records. Never throws.
     *
     * @param startedAt the session's start time, epoch ms (it names the session's recordings)
     * @return whether it is being recorded
     */
    public boolean sessionStarted(SessionId id, long startedAt, boolean requested) {
        if (!settings.records(requested)) return false;
        RecordedSession session = new RecordedSession(id.value(), startedAt);
        long askedAt = System.nanoTime();
        try {
            leases.register(session);
            if (!leases.acquire(session)) return true; // another node got there first: it records
        } catch (StoreUnavailableException e) {
            log.atError().addKeyValue("sessionId", id).log("recording not started: its lease could not be taken ({})",
                    e.getMessage());
            metrics.recordingLeaseError();
            metrics.recordingFailed("start");
            return false;
        }
        return record(session, newRecording(session), new LeaseTerm(askedAt), -1);
    }

    /** A recording of the session from its start, or from where another node's stopped (see {@link LeaseKeeper}). */
    SessionRecording newRecording(RecordedSession session) {
        return new SessionRecording(session.sessionId(), session.startedAt(), library, clock, this::finished);
    }

    /** Sessions whose lease this node holds, and their recorders. */
    Map<RecordedSession, Held> held() {
        return active;
    }

    /**
     * Starts recording a session whose lease this node has just taken; false when its encoder could not start.
     *
     * @param afterSequence the last chunk already recorded (by the node whose recording this continues); -1: none
     */
    boolean record(RecordedSession session, SessionRecording recording, LeaseTerm term, long afterSequence) {
        SessionId id = new SessionId(session.sessionId());
        SessionRecorder[] self = new SessionRecorder[1];
        recording.reportProgressTo(progress -> leases.report(session, progress));
        SessionRecorder recorder = new SessionRecorder(recording, writer, metrics, term, () -> {
            active.computeIfPresent(session, (key, held) -> held.recorder() == self[0] ? null : held);
            // Stopped while the session goes on: the encoder need not run for it any longer.
            if (self[0].failed()) opus.removeSink(id, self[0]);
            keeper.recorderDone(session, self[0]);
        });
        self[0] = recorder;
        Held previous = active.put(session, new Held(recorder, term));
        if (previous != null && !previous.recorder().isOver()) {
            log.atWarn().addKeyValue("sessionId", id).log("a recording of this session was still open; it ends here");
            previous.recorder().ended(null);
        }
        try {
            opus.addSink(id, recorder, null, afterSequence);
            log.atInfo().addKeyValue("sessionId", id).addKeyValue("directory", library.directory())
                    .addKeyValue("node", leases.nodeId()).log("recording started");
            return true;
        } catch (RuntimeException e) {
            active.remove(session);
            log.atError().addKeyValue("sessionId", id).log("recording not started: {}", e.getMessage());
            metrics.recordingFailed("start");
            keeper.giveUp(session);
            return false;
        }
    }

    /**
     * Applies the folder's limits now and every {@value #RETENTION_MINUTES} minutes, and keeps the recording leases
     * (renews this node's, takes over those whose recorder died) every {@link RecordingLeases#RENEW_EVERY}.
     */
    public void schedule(ScheduledExecutorService upkeep) {
        upkeep.scheduleWithFixedDelay(this::enforceLimits, 0, RETENTION_MINUTES, TimeUnit.MINUTES);
        keeper.start();
    }

    /** Removes what RECORDINGS_MAX_AGE_DAYS and RECORDINGS_MAX_GB no longer allow. */
    public void enforceLimits() {
        try {
            library.enforceLimits();
        } catch (RuntimeException e) {
            log.warn("recording limits not applied: {}", e.getMessage());
        }
    }

    /**
     * Finishes what is queued (the session feeds end their recordings when the server shuts down), waiting at most
     * a few seconds, then gives this node's leases up so that another node continues the recordings at once.
     */
    @Override
    public void close() {
        keeper.stopTakingOver();
        for (Held held : active.values()) held.recorder().ended(null); // feeds that did not end them
        writer.close();
        keeper.close();
    }

    private void finished(Recording recording) {
        metrics.recordingFinished(recording.bytes());
        log.atInfo().addKeyValue("sessionId", recording.sessionId()).addKeyValue("recordingId", recording.id())
                .addKeyValue("durationSeconds", recording.durationSeconds()).addKeyValue("bytes", recording.bytes())
                .log("recording finished");
        enforceLimits();
    }

    /** A salvaged part: counted and logged like any finished recording. */
    void salvaged(Recording recording) {
        finished(recording);
    }
}
