package dev.musicshare.recording;

import dev.musicshare.config.RecordingSettings;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.share.SessionId;
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
 * encoder, the writer thread, and the folder's limits. Nothing here can fail a request: a recording that cannot
 * start or cannot write is logged and counted, and the session goes on.
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
    private final Map<String, SessionRecorder> active = new ConcurrentHashMap<>();

    public Recordings(RecordingSettings settings, OpusStreams opus, Clock clock, ShareMetrics metrics) {
        this(settings, opus, clock, metrics, RecordingWriter.QUEUE_TASKS);
    }

    /** @param queueTasks the writer's queue bound (tests make it small) */
    Recordings(RecordingSettings settings, OpusStreams opus, Clock clock, ShareMetrics metrics, int queueTasks) {
        this.settings = settings;
        this.opus = opus;
        this.clock = clock;
        this.metrics = metrics;
        this.library = new RecordingLibrary(settings.directory(), settings.maxBytes(), settings.maxAge(), clock);
        this.writer = new RecordingWriter(queueTasks);
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
     * A session has started: records it if RECORDING says so. Never throws.
     *
     * @param startedAt the session's start time, epoch ms (it names the session's recordings)
     * @return whether it is being recorded
     */
    public boolean sessionStarted(SessionId id, long startedAt, boolean requested) {
        if (!settings.records(requested)) return false;
        return record(new SessionRecording(id.value(), startedAt, library, clock, this::finished));
    }

    private boolean record(SessionRecording recording) {
        SessionId id = new SessionId(recording.sessionId());
        SessionRecorder[] self = new SessionRecorder[1];
        SessionRecorder recorder = new SessionRecorder(recording, writer, metrics, () -> {
            active.remove(recording.sessionId(), self[0]);
            // Stopped by a failure while the session goes on: the encoder need not run for it any longer.
            if (self[0].failed()) opus.removeSink(id, self[0]);
        });
        self[0] = recorder;
        SessionRecorder previous = active.put(recording.sessionId(), recorder);
        if (previous != null && !previous.isOver()) {
            log.atWarn().addKeyValue("sessionId", id).log("a recording of this session was still open; it ends here");
            previous.ended(null);
        }
        try {
            opus.addSink(id, recorder, null);
            log.atInfo().addKeyValue("sessionId", id).addKeyValue("directory", library.directory())
                    .log("recording started");
            return true;
        } catch (RuntimeException e) {
            active.remove(recording.sessionId(), recorder);
            log.atError().addKeyValue("sessionId", id).log("recording not started: {}", e.getMessage());
            metrics.recordingFailed("start");
            return false;
        }
    }

    /** Applies the folder's limits now and every {@value #RETENTION_MINUTES} minutes. */
    public void schedule(ScheduledExecutorService upkeep) {
        upkeep.scheduleWithFixedDelay(this::enforceLimits, 0, RETENTION_MINUTES, TimeUnit.MINUTES);
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
     * a few seconds.
     */
    @Override
    public void close() {
        for (SessionRecorder recorder : active.values()) recorder.ended(null); // feeds that did not end them
        writer.close();
    }

    private void finished(Recording recording) {
        metrics.recordingFinished(recording.bytes());
        log.atInfo().addKeyValue("sessionId", recording.sessionId()).addKeyValue("recordingId", recording.id())
                .addKeyValue("durationSeconds", recording.durationSeconds()).addKeyValue("bytes", recording.bytes())
                .log("recording finished");
        enforceLimits();
    }
}
