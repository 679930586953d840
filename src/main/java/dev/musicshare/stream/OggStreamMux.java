package dev.musicshare.stream;

import dev.musicshare.codec.OggOpusWriter;
import dev.musicshare.codec.OpusFrame;
import dev.musicshare.codec.OpusStreamEncoder;
import dev.musicshare.codec.StreamTags;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One session's Ogg Opus stream in one of its two shapes, with the listeners that read it. Every page is written
 * once and the same {@link PageBatch} is queued to every listener. A listener that joins gets the current stream's headers,
 * then the last few seconds of pages (the burst, so its player starts at once), then pages as they are written.
 * <ul>
 *   <li><b>continuous</b> (the default): one logical stream for as long as the session is encoded on this node;
 *       titles travel out of band (ICY). Chrome stops an {@code <audio>} element at a chained-Ogg boundary, which
 *       is why this is the default.</li>
 *   <li><b>chained</b>: every title/artist change ends the logical stream (end-of-stream page) and starts a new
 *       one whose OpusTags carry TITLE, ARTIST and the cover (RFC 7845 section 3 allows such chains).</li>
 * </ul>
 * A listener that joins mid-stream sees page sequence numbers and granule positions continue from where the
 * stream is, as Icecast's listeners do: decoders take the first granule position as the start time.
 *
 * <p>Not thread-safe: its session calls it under the session's lock.
 */
final class OggStreamMux {
    /** A cover larger than this stays out of the OpusTags, so joining players are not held up by a big header. */
    static final int MAX_COVER_BYTES = 60_000;
    private static final SecureRandom SERIALS = new SecureRandom();
    /**
     * Pages go to listeners a second at a time (samples per channel at 48 kHz), not per 100 ms chunk: a listener
     * costs one socket write per batch, which is most of its cost (docs/benchmarks.md). A second is the page length
     * ffmpeg's Ogg muxer writes for a live source (so an Icecast mount fed by it writes as often), and nothing to a
     * player that buffers seconds and got the burst on joining.
     */
    static final long BATCH_SAMPLES = 48_000;

    private final boolean chained;
    private final long burstSamples;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream(8_192);
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream(16_384);
    private long batchSamples;
    private final ArrayDeque<StreamPage> burst = new ArrayDeque<>();
    private final Set<OggListener> listeners = new LinkedHashSet<>();
    private long burstTotal;
    private OggOpusWriter writer;
    private PageBatch headers;
    private int channels;
    private int inputRate;
    private StreamTags tags = StreamTags.NONE;
    private boolean retagPending;
    /** The title (ICY) of the audio written last, of the batch's first byte, and where in the batch it changed. */
    private String title;
    private String batchStartTitle;
    private int titleOffset;
    /** Listeners offered pages since the session last took them: it writes to them once its lock is released. */
    private List<OggListener> toWrite = List.of();
    private boolean ended;

    OggStreamMux(boolean chained, long burstSamples) {
        this.chained = chained;
        this.burstSamples = burstSamples;
    }

    boolean isChained() {
        return chained;
    }

    /** Starts the first logical stream; listeners that joined before get its headers now. */
    void start(OpusStreamEncoder encoder, int inputRate, StreamTags tags) {
        this.channels = encoder.channels();
        this.inputRate = inputRate;
        this.tags = tags;
        this.title = tags.displayTitle();
        this.batchStartTitle = title;
        openLink(encoder.preSkip());
    }

    boolean started() {
        return writer != null;
    }

    /** Adds a listener: headers and the burst now (when started), live pages from then on. */
    void attach(OggListener listener) {
        if (ended) {
            listener.finish();
            return;
        }
        listeners.add(listener);
        if (headers == null) return;
        listener.offer(headers);
        for (StreamPage page : burst) listener.offer(page.pages());
    }

    void detach(OggListener listener) {
        listeners.remove(listener);
    }

    int listenerCount() {
        return listeners.size();
    }

    /**
     * New title/artist/cover from the next frame written on: a chained stream starts a new link there (the old link's
     * end-of-stream page takes that first frame: it must carry a packet); a continuous one only changes the title its
     * pages announce to ICY listeners.
     */
    void retag(StreamTags next) {
        if (!chained || !started()) {
            tags = next;
            titleChanges(next.displayTitle());
            return;
        }
        if (Objects.equals(next.title(), tags.title()) && Objects.equals(next.artist(), tags.artist())) return;
        tags = next;
        retagPending = true;
    }

    /**
     * Writes frames; with {@code next} non-null, the tags change at frame {@code changeAt} (the frame in which the
     * new title's audio starts; at the next write when it is past these frames).
     */
    void write(List<OpusFrame> frames, StreamTags next, int changeAt) {
        if (next == null) {
            write(frames);
            return;
        }
        int at = Math.min(Math.max(changeAt, 0), frames.size());
        write(frames.subList(0, at));
        retag(next);
        write(frames.subList(at, frames.size()));
    }

    void write(List<OpusFrame> frames) {
        if (frames.isEmpty() || writer == null || ended) return;
        if (retagPending) {
            retagPending = false;
            // The old link ends on a page of its own (an end-of-stream page carries at least one packet).
            writer.finish(frames.subList(0, 1), 0);
            publish(drainWritten(), 1L * frames.get(0).samples(), false);
            titleChanges(tags.displayTitle());
            openLink(0); // the encoder runs on: no look-ahead to skip, the timeline stays exact
            frames = frames.subList(1, frames.size());
            if (frames.isEmpty()) return;
        }
        writer.writeFrames(frames);
        long samples = 0;
        for (OpusFrame frame : frames) samples += frame.samples();
        publish(drainWritten(), samples, true);
    }

    /** Ends the stream (end-of-stream page) and lets every listener finish; later joiners are finished at once. */
    void end(OpusStreamEncoder.Ending ending) {
        if (ended) return;
        ended = true;
        if (writer != null) {
            writer.finish(ending.frames(), ending.padding());
            publish(drainWritten(), 0, false);
        }
        toWrite = List.copyOf(listeners);
        toWrite.forEach(OggListener::finish);
        listeners.clear();
    }

    /** Drops every listener without an end-of-stream page (the stream broke). */
    void abort() {
        ended = true;
        List.copyOf(listeners).forEach(OggListener::close); // a copy: closing detaches
        listeners.clear();
    }

    private void openLink(int preSkip) {
        sendBatch(false); // what the previous link left goes out before the new headers
        writer = new OggOpusWriter(written, SERIALS.nextInt(), channels, preSkip, inputRate,
                chained ? tagsFittingHeader() : StreamTags.NONE);
        headers = PageBatch.of(drainWritten(), title);
        burst.clear(); // a joiner's burst must start inside the link whose headers it got
        burstTotal = 0;
        offerToAll(headers);
    }

    private StreamTags tagsFittingHeader() {
        return tags.cover() != null && tags.cover().length > MAX_COVER_BYTES ? tags.withoutCover() : tags;
    }

    /**
     * Adds pages to the batch; the batch goes out once it holds {@link #BATCH_SAMPLES}, or at once with an
     * end-of-stream page ({@code keepForBurst} false), after what it already holds.
     */
    private void publish(byte[] pages, long samples, boolean keepForBurst) {
        if (pages.length == 0) return;
        batch.writeBytes(pages);
        batchSamples += samples;
        if (!keepForBurst) sendBatch(false);
        else if (batchSamples >= BATCH_SAMPLES) sendBatch(true);
    }

    /** The pages written from now on carry {@code next} as their ICY title. */
    private void titleChanges(String next) {
        if (Objects.equals(next, title)) return;
        title = next;
        titleOffset = batch.size();
        if (titleOffset == 0) batchStartTitle = next;
    }

    private void sendBatch(boolean keepForBurst) {
        if (batch.size() == 0) return;
        PageBatch pages = PageBatch.of(batch.toByteArray(), batchStartTitle, title, titleOffset);
        batchStartTitle = title;
        titleOffset = 0;
        long samples = batchSamples;
        batch.reset();
        batchSamples = 0;
        if (keepForBurst) {
            burst.add(new StreamPage(pages, samples));
            burstTotal += samples;
            while (!burst.isEmpty() && burstTotal - burst.peekFirst().samples() >= burstSamples) {
                burstTotal -= burst.pollFirst().samples();
            }
        }
        offerToAll(pages);
    }

    /**
     * The listeners that were offered pages since the last call: the session writes to them after releasing its
     * lock (a listener that joins gets its first pages written when its response goes async).
     */
    List<OggListener> takeListenersToWrite() {
        List<OggListener> taken = toWrite;
        toWrite = List.of();
        return taken;
    }

    private void offerToAll(PageBatch pages) {
        toWrite = List.copyOf(listeners); // a copy: a dropped listener detaches
        for (OggListener listener : toWrite) listener.offer(pages);
    }

    private byte[] drainWritten() {
        byte[] bytes = written.toByteArray();
        written.reset();
        return bytes;
    }
}
