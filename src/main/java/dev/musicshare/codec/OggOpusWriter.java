package dev.musicshare.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.gagravarr.ogg.OggFile;
import org.gagravarr.ogg.OggPacket;
import org.gagravarr.ogg.OggPacketWriter;
import org.gagravarr.opus.OpusInfo;
import org.gagravarr.opus.OpusTags;

/**
 * Writes one logical Ogg Opus stream (RFC 7845) to an output stream, for a file as well as a live HTTP stream;
 * pages are built and CRC'd by vorbis-java-core. The layout follows the RFC:
 * <ol>
 *   <li>the ID header (OpusHead: channels, pre-skip, input rate) alone on the first page, flagged
 *       beginning-of-stream, granule position 0 (section 5.1);</li>
 *   <li>the comment header (OpusTags: vendor, TITLE, ARTIST, METADATA_BLOCK_PICTURE) on the page(s) that follow,
 *       granule 0, finishing its page (section 5.2);</li>
 *   <li>audio pages: {@link #writeFrames} puts the frames it is given on one page (more if they exceed a page),
 *       whose granule position counts every sample (per channel, 48 kHz) of the packets completed on it, the
 *       pre-skip included: playback time is {@code (granule - preSkip) / 48000} s (section 4);</li>
 *   <li>{@link #finish} writes the last frames on a page flagged end-of-stream, whose granule position may stop
 *       short of the last packet's end to trim padding (section 4.4).</li>
 * </ol>
 * Every call writes whole pages and flushes them to the output, so a live stream can hand each page to listeners
 * as soon as it is written; a chained stream is several writers one after another with different serial numbers.
 *
 * <pre>{@code
 * try (OutputStream file = Files.newOutputStream(path)) {
 *     OggOpusWriter ogg = new OggOpusWriter(file, serial, encoder.channels(), encoder.preSkip(), 44_100, tags);
 *     ogg.writeFrames(encoder.encodeChunk(seq, pcm, 44_100, 2));
 *     OpusStreamEncoder.Ending end = encoder.finish();
 *     ogg.finish(end.frames(), end.padding());
 * }
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class OggOpusWriter {
    private static final String VENDOR = "music-share (Concentus)";

    private final OutputStream out;
    private final OggPacketWriter pages;
    private final int preSkip;
    private long granulePosition;
    private boolean finished;

    /**
     * Writes the two header packets at once.
     *
     * @param out             where the pages go; flushed after every call, not closed
     * @param serialNumber    the logical stream's serial number (random per stream; chained streams differ)
     * @param channels        1 or 2
     * @param preSkip         samples (48 kHz) the decoder drops at the start: the encoder's look-ahead
     * @param inputSampleRate the source's rate, informational only (decoders play at 48 kHz)
     * @param tags            the OpusTags content
     * @throws UncheckedIOException when {@code out} fails
     */
    public OggOpusWriter(OutputStream out, int serialNumber, int channels, int preSkip, int inputSampleRate,
            StreamTags tags) {
        this.out = out;
        this.pages = new OggFile(out).getPacketWriter(serialNumber);
        this.preSkip = preSkip;
        OpusInfo head = new OpusInfo();
        head.setNumChannels(channels);
        head.setPreSkip(preSkip);
        head.setSampleRate(inputSampleRate);
        head.setOutputGain(0);
        OpusTags comments = new OpusTags();
        comments.setVendor(VENDOR);
        if (tags.title() != null) comments.addComment("TITLE", tags.title());
        if (tags.artist() != null) comments.addComment("ARTIST", tags.artist());
        String picture = tags.metadataBlockPicture();
        if (picture != null) comments.addComment("METADATA_BLOCK_PICTURE", picture);
        try {
            pages.bufferPacket(head.write(), 0);
            pages.flush();
            pages.bufferPacket(comments.write(), 0);
            pages.flush();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Samples (per channel, 48 kHz, pre-skip included) in the packets written so far: the last page's granule. */
    public long granulePosition() {
        return granulePosition;
    }

    public int preSkip() {
        return preSkip;
    }

    /**
     * Writes {@code frames} on a new page (nothing when empty).
     *
     * @throws UncheckedIOException when the output fails
     * @throws IllegalStateException after {@link #finish}
     */
    public void writeFrames(List<OpusFrame> frames) {
        if (frames.isEmpty()) return;
        requireOpen();
        buffer(frames);
        try {
            pages.flush();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the last frames on a page flagged end-of-stream. The final granule position leaves out
     * {@code padding} samples, so decoders drop the silence that completed the last frame.
     *
     * @param frames  at least one frame (an end-of-stream page carries a packet)
     * @param padding samples per channel at the end of the last frame that are not part of the audio
     */
    public void finish(List<OpusFrame> frames, int padding) {
        requireOpen();
        if (frames.isEmpty()) throw new IllegalArgumentException("the end-of-stream page needs at least one frame");
        buffer(frames);
        if (padding > 0) {
            granulePosition -= padding;
            pages.setGranulePosition(granulePosition);
        }
        try {
            pages.close(); // flags the last buffered page end-of-stream and writes it
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        finished = true;
    }

    private void buffer(List<OpusFrame> frames) {
        for (OpusFrame frame : frames) {
            granulePosition += frame.samples();
            pages.bufferPacket(new OggPacket(frame.packet()), granulePosition);
        }
    }

    private void requireOpen() {
        if (finished) throw new IllegalStateException("the Ogg Opus stream has ended");
    }
}
