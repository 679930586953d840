package dev.musicshare.recording;

import dev.musicshare.codec.OpusFrame;
import dev.musicshare.codec.OpusStreamEncoder;
import dev.musicshare.codec.StreamTags;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.stream.OpusSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's recorder as the shared Opus encoder sees it: a sink that hands each event to the writer thread and
 * returns at once. It stops the recording — one log line, one count in {@code musicshare_recordings_failed_total} —
 * when the disk refuses a write or falls so far behind that the writer's queue is full; the session and its
 * listeners carry on untouched. Before each write it checks that this node still holds the session's recording lease
 * ({@link dev.musicshare.lease.RecordingLeases}); once it cannot be sure, it writes nothing more and leaves its file for the node taking
 * over, so two nodes never write the same file.
 */
final class SessionRecorder implements OpusSink {
    private static final Logger log = LoggerFactory.getLogger(SessionRecorder.class);

    /** Something the writer thread does for this recording; may fail with the disk. */
    private interface Step {
        void run() throws IOException;
    }

    private final SessionRecording recording;
    private final RecordingWriter writer;
    private final ShareMetrics metrics;
    private final Runnable onDone;
    private final java.util.function.BooleanSupplier holdsLease;
    private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    /** Set once, by whichever thread sees the failure first; read by both. */
    private volatile boolean stopped;
    private volatile boolean ended;
    private volatile boolean leaseLost;
    private volatile boolean streamEnded;

    /**
     * @param holdsLease whether this node is sure it still holds the session's lease (asked before every write)
     * @param onDone     called once on the writer thread when the recording ended or stopped
     */
    SessionRecorder(SessionRecording recording, RecordingWriter writer, ShareMetrics metrics,
            java.util.function.BooleanSupplier holdsLease, Runnable onDone) {
        this.recording = recording;
        this.holdsLease = holdsLease;
        this.writer = writer;
        this.metrics = metrics;
        this.onDone = () -> {
            if (done.compareAndSet(false, true)) onDone.run();
        };
    }

    String sessionId() {
        return recording.sessionId();
    }

    /** Whether the recording is over (ended with its session, or stopped by a failure). */
    boolean isOver() {
        return ended || stopped;
    }

    /** Whether a failure (disk refused, queue full) or the lease's loss stopped it. */
    boolean failed() {
        return stopped;
    }

    /** Whether it stopped because this node lost the lease (another node continues the recording). */
    boolean leaseLost() {
        return leaseLost;
    }

    /** Whether the session's stream ended (rather than broke off on this node, or never began here). */
    boolean streamEnded() {
        return streamEnded;
    }

    /** Checks the lease on the writer thread now, rather than before the next write. */
    void checkLease() {
        queue(() -> { });
    }

    @Override
    public void started(int channels, int preSkip) {
        queue(() -> recording.started(channels, preSkip));
    }

    @Override
    public void frames(List<OpusFrame> frames, Origin origin) {
        queue(() -> recording.frames(frames, origin));
    }

    @Override
    public void metadata(StreamTags tags, byte[] metadataJson) {
        queue(() -> recording.metadata(tags, metadataJson));
    }

    @Override
    public void ended(OpusStreamEncoder.Ending ending) {
        if (ended) return;
        ended = true;
        streamEnded = ending != null;
        long endedAt = recording.now(); // now, not when the writer gets to it
        queue(() -> {
            recording.ended(ending, endedAt);
            onDone.run();
        });
    }

    private void queue(Step step) {
        if (stopped) return;
        if (writer.offer(() -> run(step))) return;
        stopped = true;
        // The queue is full: what is already written is finished as a recording; the rest is not recorded.
        writer.offerUrgent(() -> {
            log.atWarn().addKeyValue("sessionId", sessionId()).addKeyValue("queuedTasks", RecordingWriter.QUEUE_TASKS)
                    .log("recording stopped: the disk fell behind and the recording queue is full");
            metrics.recordingFailed("queue");
            if (!keepsLease()) return;
            try {
                recording.ended(null, 0);
            } catch (IOException | UncheckedIOException e) {
                recording.abandon();
            }
            onDone.run();
        });
    }

    private void run(Step step) {
        if (stopped || !keepsLease()) return;
        try {
            step.run();
        } catch (IOException | UncheckedIOException e) {
            stopped = true;
            String file = recording.currentId();
            recording.abandon();
            Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
            log.atError().addKeyValue("sessionId", sessionId()).addKeyValue("recordingId", file)
                    .log("recording stopped: cannot write to the recordings folder ({}: {})",
                            cause.getClass().getSimpleName(), cause.getMessage());
            metrics.recordingFailed("write");
            onDone.run();
        }
    }

    /** False, after stopping the recording once, when this node can no longer be sure the lease is its own. */
    private boolean keepsLease() {
        if (holdsLease.getAsBoolean()) return true;
        if (!leaseLost) {
            leaseLost = true;
            stopped = true;
            String file = recording.currentId();
            recording.leave();
            log.atWarn().addKeyValue("sessionId", sessionId()).addKeyValue("recordingId", file)
                    .log("recording handed over: this node no longer holds the session's recording lease; the node "
                            + "taking over completes the file and continues in a new part");
            metrics.recordingFailed("lease");
            onDone.run();
        }
        return false;
    }
}
