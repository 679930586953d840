package dev.musicshare.recording;

import dev.musicshare.codec.OggOpusWriter;
import dev.musicshare.codec.OpusFrame;
import dev.musicshare.codec.StreamTags;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One recording's Ogg Opus file while it is written ({@code <id>.opus.part}), then its completion: end-of-stream
 * page, the {@code .lrc} beside it, the renames, and the description that lists it. The newest frame is held back
 * until the next arrives, because RFC 7845's end-of-stream page must carry a packet and a track can end (the title
 * changes) without the encoder ending.
 *
 * <p>Used by the recording writer thread only.
 */
final class TrackFile {
    private final RecordingLibrary library;
    private final Recording planned;
    private final OutputStream out;
    private final OggOpusWriter ogg;
    private final int preSkip;
    private long bytes;
    private OpusFrame held;
    private boolean closed;

    /**
     * Creates the file and writes its headers, then the {@code preRoll} frames: audio from before the file's start
     * that the decoder needs to settle (RFC 7845 section 4.6), removed again by the pre-skip.
     *
     * @param planned what the recording will be (its duration and size are filled in on completion)
     * @param preSkip samples (48 kHz) a player drops at the start: the pre-roll's, or the encoder's look-ahead
     * @throws IOException when the file cannot be created or written
     */
    TrackFile(RecordingLibrary library, Recording planned, int channels, int preSkip, StreamTags tags,
            List<OpusFrame> preRoll) throws IOException {
        this.library = library;
        this.planned = planned;
        this.preSkip = preSkip;
        library.createDirectory();
        OutputStream file = Files.newOutputStream(library.partOf(planned.id(), RecordingLibrary.AUDIO),
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        this.out = new FilterOutputStream(file) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len); // whole pages at once, not byte by byte as FilterOutputStream would
                bytes += len;
            }
        };
        try {
            this.ogg = new OggOpusWriter(out, ThreadLocalRandom.current().nextInt(), channels, preSkip, 48_000, tags);
            write(preRoll);
        } catch (RuntimeException e) {
            abandon();
            throw e;
        }
    }

    String id() {
        return planned.id();
    }

    /** Bytes written so far. */
    long bytes() {
        return bytes;
    }

    /** When the file's first sample was heard on the session's timeline, epoch ms. */
    long startedAt() {
        return planned.startedAt();
    }

    /** Samples per channel (48 kHz) a player would play of what is in the file now (the held frame is not). */
    long writtenPlaybackSamples() {
        return Math.max(0, ogg.granulePosition() - preSkip);
    }

    /** Samples per channel (48 kHz) a player will play of what was written so far, the held frame included. */
    long playbackSamples() {
        long written = ogg.granulePosition() + (held == null ? 0 : held.samples());
        return Math.max(0, written - preSkip);
    }

    /** @throws java.io.UncheckedIOException when the disk refuses the page */
    void write(List<OpusFrame> frames) {
        if (frames.isEmpty()) return;
        List<OpusFrame> page = new ArrayList<>(frames.size());
        if (held != null) page.add(held);
        page.addAll(frames.subList(0, frames.size() - 1));
        held = frames.get(frames.size() - 1);
        ogg.writeFrames(page);
    }

    /**
     * Ends the stream, writes the lyrics, renames both into place and publishes the description.
     *
     * @param tail    the encoder's last frames when the session ended (empty when only the track ended)
     * @param padding samples at the end of {@code tail} that are not audio
     * @param lrc     the lyrics file's text, or null for none
     * @return the recording as listed, or null when nothing playable was written (the file is removed)
     * @throws IOException when the disk refuses; the part files are then removed
     */
    Recording finish(List<OpusFrame> tail, int padding, String lrc) throws IOException {
        List<OpusFrame> last = new ArrayList<>(tail.size() + 1);
        if (held != null) last.add(held);
        last.addAll(tail);
        held = null;
        if (last.isEmpty() || ogg.granulePosition() + last.stream().mapToLong(OpusFrame::samples).sum() - padding
                <= preSkip) {
            abandon();
            return null;
        }
        try {
            ogg.finish(last, padding);
            out.close();
            closed = true;
            if (lrc != null) {
                Files.writeString(library.partOf(planned.id(), RecordingLibrary.LYRICS), lrc, StandardCharsets.UTF_8);
                library.complete(planned.id(), RecordingLibrary.LYRICS);
            }
            library.complete(planned.id(), RecordingLibrary.AUDIO);
            Recording done = new Recording(planned.id(), planned.sessionId(), planned.sessionStartedAt(),
                    planned.track(), planned.part(), planned.title(), planned.artist(), planned.startedAt(),
                    (ogg.granulePosition() - preSkip) / 48_000.0, bytes, lrc != null, planned.missedSecondsBefore());
            library.publish(done);
            return done;
        } catch (IOException | RuntimeException e) {
            abandon();
            library.delete(planned.id());
            throw e;
        }
    }

    /**
     * Stops writing and leaves the file as it is, half written under its {@code .part} name (never listed), for the
     * node that took the recording over to complete.
     */
    void leave() {
        try {
            if (!closed) out.close();
        } catch (IOException | RuntimeException e) {
            // the pages written before are what the next node completes; a failed flush adds nothing to them
        }
        closed = true;
    }

    /** Stops writing and removes what was written: an incomplete file is never left to look complete. */
    void abandon() {
        try {
            if (!closed) out.close();
        } catch (IOException | RuntimeException e) {
            // a full disk may refuse the close's flush too; the file goes anyway
        }
        closed = true;
        for (String suffix : List.of(RecordingLibrary.AUDIO, RecordingLibrary.LYRICS, RecordingLibrary.INFO)) {
            try {
                Files.deleteIfExists(library.partOf(planned.id(), suffix));
            } catch (IOException e) {
                // nothing more to do: the part file is never listed
            }
        }
    }
}
