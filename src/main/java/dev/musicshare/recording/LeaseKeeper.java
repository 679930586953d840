package dev.musicshare.recording;

import dev.musicshare.lease.RecordingLeases;
import dev.musicshare.lease.RecordingLeases.RecordedSession;
import dev.musicshare.lease.RecordingProgress;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.share.Metadata;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.SessionStatus;
import dev.musicshare.share.ShareException;
import dev.musicshare.share.ShareService;
import dev.musicshare.store.StoreUnavailableException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's part of the recording leases, on a thread of its own every {@link RecordingLeases#RENEW_EVERY}:
 * renews the leases of the sessions it records, and takes over any recorded session whose lease nobody holds (its
 * recorder died, lost Redis, or shut down). Taking over completes the file the previous recorder left half written
 * ({@link PartSalvage}), its lyrics included, and continues the same track in a new part, noting the stretch nobody
 * recorded. Redis not answering is logged once per outage and counted; recordings then stop once their lease term
 * runs out, and are taken over again (by whichever node gets the lease first) when Redis is back.
 */
final class LeaseKeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final Recordings recordings;
    private final RecordingLeases leases;
    private final ShareService shares;
    private final PartSalvage salvage;
    private final ShareMetrics metrics;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread keeper = new Thread(runnable, "music-share-recording-leases");
        keeper.setDaemon(true);
        return keeper;
    });
    /** False once the node shuts down: it keeps its leases while its files are finished, but takes no new one. */
    private volatile boolean takingOver = true;
    /** Whether Redis was found unreachable (keeper thread only): the outage is logged once, and its end. */
    private boolean unreachable;

    LeaseKeeper(Recordings recordings, RecordingLeases leases, ShareService shares, RecordingLibrary library,
            ShareMetrics metrics) {
        this.recordings = recordings;
        this.leases = leases;
        this.shares = shares;
        this.salvage = new PartSalvage(library);
        this.metrics = metrics;
    }

    void start() {
        long every = RecordingLeases.RENEW_EVERY.toMillis();
        thread.scheduleAtFixedRate(this::keep, every, every, TimeUnit.MILLISECONDS);
    }

    /** The node shuts down: no lease is taken from now on (those held are renewed until {@link #close}). */
    void stopTakingOver() {
        takingOver = false;
    }

    /**
     * A recorder of this node stopped (on the writer thread): its lease is given up — for good when the session
     * ended or the disk refused, otherwise (its stream broke off, the node shuts down) so another node continues.
     * A recorder that lost its lease has nothing to give up.
     */
    void recorderDone(RecordedSession session, SessionRecorder recorder) {
        if (recorder.leaseLost()) return;
        boolean over = recorder.failed() || recorder.streamEnded();
        runOnKeeper(() -> {
            if (over) leases.finished(session);
            else leases.release(session);
        });
    }

    /** Its encoder could not start here: another node (or this one, later) may have better luck. */
    void giveUp(RecordedSession session) {
        runOnKeeper(() -> leases.release(session));
    }

    private void runOnKeeper(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (StoreUnavailableException e) {
                    unreachable(e); // the lease runs out by itself
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the lease runs out by itself within LEASE_TIME
        }
    }

    private void keep() {
        try {
            renewHeld();
            if (takingOver) takeOverFree();
            if (unreachable) {
                unreachable = false;
                log.info("recording leases reachable again");
            }
        } catch (StoreUnavailableException e) {
            unreachable(e);
        } catch (RuntimeException e) {
            log.error("recording leases not kept", e);
        }
    }

    private void renewHeld() {
        for (Map.Entry<RecordedSession, Recordings.Held> held : recordings.held().entrySet()) {
            if (held.getValue().recorder().isOver()) continue;
            long askedAt = System.nanoTime();
            if (leases.renew(held.getKey())) {
                held.getValue().term().renewed(askedAt);
            } else {
                held.getValue().term().lost();
                held.getValue().recorder().checkLease(); // stops now rather than at its next chunk
            }
        }
    }

    private void takeOverFree() {
        for (RecordedSession session : leases.recorded()) {
            if (recordings.held().containsKey(session)) continue;
            long askedAt = System.nanoTime();
            if (leases.acquire(session)) takeOver(session, new LeaseTerm(askedAt));
        }
    }

    /**
     * This node has just taken the lease of a session nobody was recording: completes what the last recorder left,
     * then records the rest, or forgets the recording if the session is over.
     */
    private void takeOver(RecordedSession session, LeaseTerm term) {
        Optional<RecordingProgress> progress = leases.progress(session);
        double previousEnd = progress.map(RecordingProgress::endPresentationMillis).orElse(Double.NaN);
        boolean salvaged = false;
        if (progress.isPresent() && progress.get().fileId() != null) {
            RecordingProgress left = progress.get();
            // Finished already (its recorder completed it before it stopped reporting), or completed here now.
            Optional<Recording> completed = recordings.library().find(left.fileId());
            if (completed.isEmpty()) {
                completed = salvage.complete(session, left, lyricsOf(session, left));
                completed.ifPresent(recordings::salvaged);
                salvaged = completed.isPresent();
            }
            if (completed.isPresent()) {
                if (!Double.isNaN(left.startPresentationMillis())) {
                    previousEnd = left.startPresentationMillis() + completed.get().durationSeconds() * 1000;
                }
            }
        }
        if (!stillLive(session)) {
            leases.finished(session);
            log.atInfo().addKeyValue("sessionId", session.sessionId()).addKeyValue("node", leases.nodeId())
                    .log("recording closed: its recorder stopped and the session has ended since");
            return;
        }
        SessionRecording recording = recordings.newRecording(session);
        if (progress.isPresent()) {
            RecordingProgress last = progress.get();
            recording.continueFrom(last.track(), last.nextPart(), last.title(), last.artist(), last.lastSequence(),
                    previousEnd);
        }
        // The work above may have taken a while (a large file, a slow disk): the term starts again from here.
        long askedAt = System.nanoTime();
        if (!leases.renew(session)) return;
        term.renewed(askedAt);
        long afterSequence = progress.map(RecordingProgress::lastSequence).orElse(-1L);
        if (recordings.record(session, recording, term, afterSequence)) {
            metrics.recordingTakenOver(salvaged);
            log.atInfo().addKeyValue("sessionId", session.sessionId()).addKeyValue("node", leases.nodeId())
                    .addKeyValue("track", progress.map(RecordingProgress::track).orElse(1))
                    .addKeyValue("part", progress.map(RecordingProgress::nextPart).orElse(1))
                    .log("recording taken over: no node held its lease");
        }
    }

    /**
     * The lyrics of the track whose part is being completed: the session's metadata holds them while it still
     * describes that track (the new part takes its lyrics from the same metadata); after a title change, or once the
     * metadata ran out (METADATA_TTL_SECONDS after the sender's last update), they are not known and the part gets no
     * {@code .lrc}. Read once per takeover, not per chunk.
     */
    private String lyricsOf(RecordedSession session, RecordingProgress left) {
        if (Double.isNaN(left.songSecondsAtStart())) return null; // no song position to align them by
        try {
            return shares.currentMetadata(new SessionId(session.sessionId()))
                    .filter(metadata -> Objects.equals(metadata.title(), left.title())
                            && Objects.equals(metadata.artist(), left.artist()))
                    .map(Metadata::lyrics).orElse(null);
        } catch (ShareException | StoreUnavailableException e) {
            log.atWarn().addKeyValue("sessionId", session.sessionId()).addKeyValue("recordingId", left.fileId())
                    .log("recording part completed without lyrics: the session's metadata could not be read ({})",
                            e.getMessage());
            return null;
        }
    }

    /** Whether the recorded session is still going (a stopped code may already belong to a new session). */
    private boolean stillLive(RecordedSession session) {
        try {
            SessionStatus status = shares.status(new SessionId(session.sessionId()));
            return status.isActive() && status.startTime() == session.startedAt();
        } catch (ShareException e) {
            return false; // gone
        }
    }

    private void unreachable(StoreUnavailableException e) {
        metrics.recordingLeaseError();
        if (unreachable) return;
        unreachable = true;
        log.warn("recording leases unavailable ({}): recordings on this node stop when their lease runs out "
                + "(within {} ms) and are taken over, in a new part, once Redis answers again; the relay is "
                + "unaffected", e.getMessage(), RecordingLeases.LEASE_TIME.toMillis());
    }

    /** Runs the leases given up meanwhile, then stops; a lease still held runs out by itself. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(3, TimeUnit.SECONDS)) thread.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }
}
