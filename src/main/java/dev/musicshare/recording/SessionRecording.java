package dev.musicshare.recording;

import dev.musicshare.codec.OpusFrame;
import dev.musicshare.codec.OpusStreamEncoder;
import dev.musicshare.codec.StreamTags;
import dev.musicshare.lease.RecordingProgress;
import dev.musicshare.stream.OpusSink;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * One session's recording, as the writer thread carries it out: a file per track (a new one when title or artist
 * change), and the session's own timeline kept in the files. The shared encoder turns missing chunks into silence
 * and, after a long pause, carries silence for live players; what it leaves out — a sender pausing for less than
 * {@code STREAM_SILENCE_AFTER_MS}, or the rest of a longer pause — is found from the chunks' presentation times and
 * written as silence here, so each file is as long as its track was shared and plays in step with its lyrics.
 *
 * <p>Used by the recording writer thread only.
 */
final class SessionRecording {
    /** Frames are 20 ms at 48 kHz. */
    private static final int FRAME = OpusStreamEncoder.FRAME_SAMPLES;
    private static final long FRAME_MICROS = 20_000;
    /** The longest silence written for one pause: a session expires after 15 idle minutes anyway. */
    private static final long LONGEST_SILENCE_FRAMES = 15L * 60 * 50;
    /**
     * A session ending this long after its file's audio ends was paused before it stopped: just over the session
     * timeline's late limit (0.9 s), within which a sender's chunks may trail the timeline without any pause.
     */
    private static final long PAUSE_BEFORE_END_MILLIS = 1_000;
    /** Metadata sent further ahead of its track's audio than this is taken to be on another clock. */
    private static final long SAME_CLOCK_MILLIS = 15L * 60 * 1000;
    /** RFC 7845 section 4.6: 80 ms of pre-roll lets a decoder converge when it starts mid-stream. */
    private static final int PRE_ROLL_FRAMES = 4;

    private final String sessionId;
    private final long sessionStartedAt;
    private final RecordingLibrary library;
    private final Clock clock;
    private final Consumer<Recording> finished;
    private final ArrayDeque<OpusFrame> recent = new ArrayDeque<>(PRE_ROLL_FRAMES);
    private int channels;
    private int encoderPreSkip;
    private OpusFrame silence;
    private Track track;
    /** A track announced while {@link #track}'s file was open, waiting for its first chunk; null: none. */
    private Track nextTrack;
    /** The sender's clock (epoch ms, 0: unknown) when {@link #nextTrack} was first announced. */
    private long nextTrackSince;
    /** Frames of the encoder's silence that came while {@link #nextTrack} waited, not yet written anywhere. */
    private long heldSilenceFrames;
    /** Where the track whose file opens next began on the session's timeline (epoch ms); NaN: at its first chunk. */
    private double trackStartsAt = Double.NaN;
    private int trackNumber;
    private int partNumber = 1;
    /** Whether the file of (trackNumber, partNumber) was created: a node taking over then starts the next part. */
    private boolean partStarted;
    private double missedSecondsBefore;
    private long skipThroughSequence = -1;
    /** Where the part before this one ended on the session's timeline (epoch ms), when continuing another node's. */
    private double previousPartEndMillis = Double.NaN;
    private TrackFile file;
    /** The session timeline's time (epoch ms) of the current file's first sample; NaN when not known. */
    private double fileStartMillis = Double.NaN;
    private long lastSequence = -1;
    /** Where the audio in the files ends on the session's timeline (epoch ms); NaN before any. */
    private double writtenUntilMillis = Double.NaN;
    private Consumer<RecordingProgress> progress = report -> { };
    /** The session timeline's time (epoch µs) where the current file's audio starts; MIN_VALUE: not yet known. */
    private long anchorMicros = Long.MIN_VALUE;
    /** The encoder's stream position (samples, 48 kHz) of the chunk the anchor is the presentation time of. */
    private long anchorPosition;
    /** Silence added to the current file since its anchor, samples. */
    private long addedSamples;
    private boolean framesSeen;
    /** How far into the song the current file starts (for its lyrics). */
    private double songSecondsAtStart;

    /**
     * @param finished told of each recording completed
     */
    SessionRecording(String sessionId, long sessionStartedAt, RecordingLibrary library, Clock clock,
            Consumer<Recording> finished) {
        this.sessionId = sessionId;
        this.sessionStartedAt = sessionStartedAt;
        this.library = library;
        this.clock = clock;
        this.finished = finished;
    }

    String sessionId() {
        return sessionId;
    }

    /**
     * Continues a track another node was recording: the next file is part {@code part} of track {@code track}, and
     * chunks up to {@code lastSequence} (already in the earlier part) are left out.
     *
     * @param previousPartEndMillis where the earlier part's audio ends on the session's timeline (epoch ms), so the
     *                              stretch between it and this part's first sample is noted as missed; NaN: unknown
     */
    void continueFrom(int track, int part, String title, String artist, long lastSequence,
            double previousPartEndMillis) {
        this.trackNumber = track;
        this.partNumber = part;
        this.track = new Track(title, artist, new StreamTags(title, artist, null, null), null, 0, 0);
        this.skipThroughSequence = lastSequence;
        this.lastSequence = lastSequence;
        this.previousPartEndMillis = previousPartEndMillis;
        this.writtenUntilMillis = previousPartEndMillis;
    }

    /** Where each write's progress goes (the lease's holder reports it for a node that may take over). */
    void reportProgressTo(Consumer<RecordingProgress> progress) {
        this.progress = progress;
    }

    void started(int channels, int preSkip) {
        this.channels = channels;
        this.encoderPreSkip = preSkip;
        OpusStreamEncoder quiet = new OpusStreamEncoder(channels, 64_000);
        List<OpusFrame> frames = quiet.encodeSilence(3); // the first frames carry the encoder's start-up
        this.silence = frames.get(frames.size() - 1);
    }

    /**
     * A new title or artist. With a file open, the switch waits for the new track's first chunk: only its capture and
     * presentation times place the pause between the two tracks on the session's timeline (the encoder carries only
     * part of a pause as silence, staying {@code STREAM_SILENCE_AFTER_MS} behind the wall clock, and that silence is
     * held meanwhile). Closing the file at once lost the rest of the pause between the two files.
     */
    void metadata(StreamTags tags, byte[] metadataJson) throws IOException {
        Track next = Track.parse(tags, metadataJson);
        if (nextTrack != null && !track.sameTrack(next)) {
            // Still waiting for its first chunk: the newest word on it counts, but the change happened when it was
            // first announced (a player repeats its metadata while it waits).
            if (!nextTrack.sameTrack(next)) nextTrackSince = next.metadataTimestamp();
            nextTrack = next;
            return;
        }
        nextTrack = null; // back to the track being written before any audio of another: it simply goes on
        releaseHeldSilence();
        if (track != null && track.sameTrack(next)) {
            if (file == null) track = next; // not started yet: the newest word on it (cover, position) counts
            else if (next.lyrics() != null && !next.lyrics().equals(track.lyrics())) {
                track = new Track(track.title(), track.artist(), track.tags(), next.lyrics(), next.elapsedSeconds(),
                        next.metadataTimestamp());
            }
            return;
        }
        if (file != null) {
            nextTrack = next;
            nextTrackSince = next.metadataTimestamp();
            return;
        }
        startTrack(next);
    }

    private void startTrack(Track next) {
        track = next;
        trackNumber++;
        partNumber = 1;
        partStarted = false;
        missedSecondsBefore = 0;
        previousPartEndMillis = Double.NaN;
        report();
    }

    void frames(List<OpusFrame> frames, OpusSink.Origin origin) throws IOException {
        if (origin != null && origin.sequenceNumber() <= skipThroughSequence) return; // the earlier part has it
        if (origin == null && file == null && skipThroughSequence >= 0) return; // silence before the takeover's audio
        if (silence == null) return;
        if (origin == null) { // the encoder's own silence for a long pause
            if (frames.isEmpty()) return;
            if (nextTrack != null && file != null) { // which file it belongs to is known at the next chunk
                heldSilenceFrames += frames.size();
                remember(frames);
                return;
            }
            if (file == null) open(null);
        } else {
            if (nextTrack != null) beginNextTrack(origin);
            if (file == null) {
                if (frames.isEmpty()) return;
                open(origin);
            }
            followTimeline(origin);
            lastSequence = origin.sequenceNumber();
        }
        file.write(frames);
        remember(frames);
        report();
    }

    /**
     * The first chunk of the track announced last. The pause before it is split where the sender said the track
     * changed (its metadata's {@code timestamp}, placed on the session's timeline by this chunk's own capture and
     * presentation times): the file before gets silence up to there and closes, and the new track's file opens with
     * the rest as leading silence. Without a usable timestamp the whole pause stays with the file before.
     */
    private void beginNextTrack(OpusSink.Origin origin) throws IOException {
        double changeAt = changeOnTimeline(nextTrackSince, origin);
        if (file != null) {
            double endsAt = Double.isNaN(changeAt) ? origin.presentationTime() : changeAt;
            if (Double.isNaN(endsAt) || Double.isNaN(fileStartMillis)) {
                writeSilence(heldSilenceFrames); // no timeline to place the change on: the pause as the encoder had it
            } else { // up to where the chunk's first frame begins (its lead is the end of what came before)
                double gapMillis = endsAt - origin.leadSamples() / 48.0
                        - (fileStartMillis + file.playbackSamples() / 48.0);
                writeSilence(Math.max(0, Math.min(Math.round(gapMillis * 1000 / FRAME_MICROS),
                        LONGEST_SILENCE_FRAMES)));
            }
            heldSilenceFrames = 0;
            closeFile(List.of(), 0);
        }
        Track next = nextTrack;
        nextTrack = null;
        startTrack(next);
        trackStartsAt = changeAt;
    }

    /**
     * Where on the session's timeline (epoch ms) the sender changed track at {@code changedAt} (its clock, epoch ms),
     * judged from the chunk after the change: its presentation time less how long before its capture the change was.
     * NaN when the metadata had no timestamp, comes after the chunk, or is on another clock
     * ({@link #SAME_CLOCK_MILLIS}).
     */
    private static double changeOnTimeline(long changedAt, OpusSink.Origin origin) {
        long before = origin.timestamp() - changedAt;
        if (changedAt <= 0 || Double.isNaN(origin.presentationTime()) || before <= 0
                || before > SAME_CLOCK_MILLIS) {
            return Double.NaN;
        }
        return origin.presentationTime() - before;
    }

    /** Tells the progress listener what the files now hold (after the write, so it never claims more). */
    private void report() {
        if (file != null && !Double.isNaN(fileStartMillis)) {
            writtenUntilMillis = fileStartMillis + file.writtenPlaybackSamples() / 48.0;
        }
        progress.accept(new RecordingProgress(trackNumber, partNumber, partStarted, track == null ? null
                : track.title(), track == null ? null : track.artist(), file == null ? null : file.id(),
                file == null ? 0 : file.bytes(), fileStartMillis, file == null ? 0 : file.startedAt(),
                missedSecondsBefore, file == null ? Double.NaN : songSecondsAtStart, lastSequence,
                writtenUntilMillis));
    }

    /**
     * Keeps the file on the session's timeline: how far the chunk's presentation time is from the file's first
     * chunk's, against how far apart the two are in the encoder's stream (which already holds the encoder's own
     * silence: holes, long pauses) plus the silence added here. Both are exact, so a difference is a sender pause,
     * written as silence to the nearest frame; the rounding is carried, never accumulated.
     */
    private void followTimeline(OpusSink.Origin origin) {
        if (Double.isNaN(origin.presentationTime())) return;
        long presentationMicros = Math.round(origin.presentationTime() * 1000);
        long streamPosition = origin.firstSample() + origin.leadSamples(); // the chunk's first sample, 48 kHz
        if (anchorMicros == Long.MIN_VALUE) {
            anchorMicros = presentationMicros;
            anchorPosition = streamPosition;
            return;
        }
        long coveredMicros = (streamPosition - anchorPosition + addedSamples) * 1_000_000 / 48_000;
        long ahead = presentationMicros - (anchorMicros + coveredMicros);
        long frames = Math.min(Math.round((double) ahead / FRAME_MICROS), LONGEST_SILENCE_FRAMES);
        if (frames > 0) {
            writeSilence(frames);
            addedSamples += frames * FRAME;
        } else if (ahead < -FRAME_MICROS) {
            // The timeline stepped back (the sender's clock re-anchored it earlier): written audio stays, and later
            // chunks are measured from here.
            anchorMicros += ahead;
        }
    }

    /**
     * The session ended ({@code ending} null: encoding broke off, e.g. this node shuts down). A sender that paused
     * before stopping shared its track until the stop: the file ends with silence up to {@code endedAtMillis} on the
     * session's timeline (the server's clock), where the encoder's silence, kept {@code STREAM_SILENCE_AFTER_MS}
     * behind, stopped short of it.
     *
     * @param endedAtMillis when the session ended, epoch ms on the server's clock
     */
    void ended(OpusStreamEncoder.Ending ending, long endedAtMillis) throws IOException {
        if (file == null) return;
        releaseHeldSilence(); // the new track never began: the pause stays with the one before
        if (ending == null) {
            closeFile(List.of(), 0);
            return;
        }
        long pause = pauseBeforeEnd(ending, endedAtMillis);
        if (pause == 0) {
            closeFile(ending.frames(), ending.padding());
            return;
        }
        // The tail's padding stays inside the file as the zeros it is; the silence after it ends the file.
        List<OpusFrame> tail = new ArrayList<>(ending.frames());
        tail.addAll(Collections.nCopies((int) pause, silence));
        closeFile(tail, 0);
    }

    /** The server's clock, epoch ms (any thread). */
    long now() {
        return clock.millis();
    }

    /**
     * Frames of silence between the end of the file's audio and the session's end; 0 when that is under
     * {@link #PAUSE_BEFORE_END_MILLIS} (a sender's chunks may lag the timeline that much without pausing).
     */
    private long pauseBeforeEnd(OpusStreamEncoder.Ending ending, long endedAtMillis) {
        if (Double.isNaN(fileStartMillis) || silence == null) return 0;
        long tailSamples = ending.frames().stream().mapToLong(OpusFrame::samples).sum();
        double gapMillis = endedAtMillis - (fileStartMillis + (file.playbackSamples() + tailSamples) / 48.0);
        if (gapMillis < PAUSE_BEFORE_END_MILLIS) return 0;
        return Math.min(Math.round(gapMillis * 1000 / FRAME_MICROS), LONGEST_SILENCE_FRAMES);
    }

    /** Recording stopped by a failure: whatever is half written is removed. */
    void abandon() {
        if (file != null) file.abandon();
        file = null;
    }

    /**
     * This node lost the session's lease: the file is closed as it stands and left in place, half written, for the
     * node taking over to complete from the progress reported (it may already be doing so: nothing here touches it).
     */
    void leave() {
        if (file != null) file.leave();
        file = null;
    }

    /** The file being written, if any (for the failure log line). */
    String currentId() {
        return file == null ? null : file.id();
    }

    private void open(OpusSink.Origin origin) throws IOException {
        if (track == null) {
            track = Track.UNTITLED;
            trackNumber++;
        }
        // A later file from the same encoder starts mid-stream: it gets the frames before its start as pre-roll.
        List<OpusFrame> preRoll = framesSeen ? new ArrayList<>(recent) : List.of();
        int preSkip = framesSeen ? preRoll.size() * FRAME : encoderPreSkip;
        long beforeChunk = origin == null ? 0 : samplesBeforeChunk(origin, !preRoll.isEmpty());
        long leadingSilence = leadingSilenceFrames(origin, beforeChunk);
        beforeChunk += leadingSilence * FRAME;
        fileStartMillis = origin != null && !Double.isNaN(origin.presentationTime())
                ? origin.presentationTime() - beforeChunk / 48.0 : clock.millis();
        long startedAt = (long) fileStartMillis;
        if (!Double.isNaN(previousPartEndMillis)) {
            missedSecondsBefore = Math.max(0, (fileStartMillis - previousPartEndMillis) / 1000);
            previousPartEndMillis = Double.NaN;
        }
        Recording planned = new Recording(Recording.idOf(sessionId, sessionStartedAt, trackNumber, partNumber),
                sessionId, sessionStartedAt, trackNumber, partNumber, track.title(), track.artist(), startedAt, 0, 0,
                false, missedSecondsBefore);
        file = new TrackFile(library, planned, channels, preSkip, track.tags(), preRoll);
        partStarted = true;
        anchorMicros = Long.MIN_VALUE;
        addedSamples = 0;
        songSecondsAtStart = songSecondsAt(origin, beforeChunk);
        if (leadingSilence > 0) writeSilence(leadingSilence);
    }

    /**
     * Frames of silence a new track's file starts with: the sender's pause between its title change
     * ({@link #trackStartsAt}) and the file's first chunk ({@code beforeChunk} samples of the file come before it).
     */
    private long leadingSilenceFrames(OpusSink.Origin origin, long beforeChunk) {
        double startsAt = trackStartsAt;
        trackStartsAt = Double.NaN;
        if (origin == null || Double.isNaN(startsAt) || Double.isNaN(origin.presentationTime())) return 0;
        double pauseMillis = origin.presentationTime() - beforeChunk / 48.0 - startsAt;
        return Math.max(0, Math.min(Math.round(pauseMillis * 1000 / FRAME_MICROS), LONGEST_SILENCE_FRAMES));
    }

    /**
     * How many samples (48 kHz) of the file come before the chunk's own first sample: the chunk's lead (its first
     * frame begins with the remainder of earlier chunks) and, in a file with pre-roll, the encoder's look-ahead. A
     * decoder's output trails the encoder's input by the look-ahead: at the stream's start the pre-skip drops it, but a
     * file starting mid-stream drops only its pre-roll frames, so it begins with input from that much before its first
     * frame. (RecordingLyricsAlignmentTest hears it: a 10 ms lead and 6.5 ms of look-ahead put a line 16.5 ms early.)
     */
    private long samplesBeforeChunk(OpusSink.Origin origin, boolean preRolled) {
        return origin.leadSamples() + (preRolled ? encoderPreSkip : 0);
    }

    /**
     * How far into the song the file starts: the sender's position in its last metadata, moved on by the time
     * between that metadata and the file's first chunk, both on the sender's clock (never before the song's start),
     * less the audio the file holds before that chunk ({@code beforeChunk} samples at 48 kHz): a file that starts
     * with its song starts a few milliseconds before it, with the end of the track before.
     */
    private double songSecondsAt(OpusSink.Origin origin, long beforeChunk) {
        double seconds = track.elapsedSeconds();
        if (origin != null && track.metadataTimestamp() > 0) {
            long since = origin.timestamp() - track.metadataTimestamp();
            if (Math.abs(since) < 600_000) seconds += since / 1000.0; // clocks that disagree this much are ignored
        }
        return Math.max(0, seconds) - beforeChunk / 48_000.0;
    }

    /** The encoder's silence held back while a title change waited for its audio, written into the open file. */
    private void releaseHeldSilence() {
        if (file != null) writeSilence(heldSilenceFrames);
        heldSilenceFrames = 0;
    }

    private void writeSilence(long frames) {
        if (frames <= 0) return;
        file.write(Collections.nCopies((int) frames, silence));
        remember(Collections.nCopies((int) Math.min(frames, PRE_ROLL_FRAMES), silence));
    }

    private void remember(List<OpusFrame> frames) {
        framesSeen = true;
        for (int i = Math.max(0, frames.size() - PRE_ROLL_FRAMES); i < frames.size(); i++) {
            if (recent.size() == PRE_ROLL_FRAMES) recent.removeFirst();
            recent.addLast(frames.get(i));
        }
    }

    private void closeFile(List<OpusFrame> tail, int padding) throws IOException {
        TrackFile closing = file;
        file = null;
        String lrc = RecordedLyrics.forFile(track.lyrics(), songSecondsAtStart, track.title(), track.artist());
        Recording done = closing.finish(tail, padding, lrc);
        if (done != null) {
            writtenUntilMillis = fileStartMillis + done.durationSeconds() * 1000;
            finished.accept(done);
        }
        skipThroughSequence = -1;
        fileStartMillis = Double.NaN;
        report();
    }
}
