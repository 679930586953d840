package dev.musicshare.stream;

import dev.musicshare.codec.OpusFrame;
import dev.musicshare.config.OpusSettings;
import dev.musicshare.codec.OpusStreamEncoder;
import dev.musicshare.codec.StreamTags;
import dev.musicshare.metrics.ShareMetrics;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One session's Opus encoding on this node, and everything fed from it: the continuous and the chained Ogg stream,
 * and any other {@link OpusSink} (push listeners in Opus, a recorder). The session's released chunks arrive here in
 * sequence order, are encoded once, and each frame is serialised once for all of them.
 *
 * <p>Calls come from the session's feed (one at a time), from the pacer's timer and from connecting listeners. Two
 * locks order them: {@code encoding} around the encoder (milliseconds a chunk, far more on a starved machine), and
 * {@code lock} around the streams, sinks and listener sets, taken inside it only to hand out frames. A joining or
 * leaving listener takes only the second, so it never waits for an encode. The timer never waits for the encoder:
 * if the feed is encoding, the stream is not paused. Socket writes happen after both are released.
 */
final class OpusSession {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String sessionId;
    private final OpusSettings settings;
    private final ShareMetrics metrics;
    private final ReentrantLock encoding = new ReentrantLock();
    private final ReentrantLock lock = new ReentrantLock();
    private final OggStreamMux continuous;
    private final OggStreamMux chained;
    private final List<OpusSink> sinks = new CopyOnWriteArrayList<>();
    private final StreamPacer pacer;
    private OpusStreamEncoder encoder;
    /** Guarded by {@code encoding}. */
    private final TitleChanges titleChanges = new TitleChanges();
    /** Written under both locks, so either lock sees it. */
    private boolean ended;
    /** The last metadata handed to the sinks, for one that joins later (guarded by {@code lock}); null before any. */
    private StreamTags latestTags;
    private byte[] latestMetadataJson;
    /**
     * The frames of the last ~{@link OpusSink#RECENT_MICROS} of chunks with their origins, oldest first, for a sink
     * that {@link OpusSink#wantsRecent} joining later (guarded by {@code lock}). Bounded by duration: about 80 kB at
     * 128 kbps. Silence has no origin and is not kept (push listeners get none).
     */
    private final ArrayDeque<Encoded> recent = new ArrayDeque<>();
    private long recentMicros;

    private record Encoded(List<OpusFrame> frames, OpusSink.Origin origin, long durationMicros) {}

    OpusSession(String sessionId, OpusSettings settings, ShareMetrics metrics) {
        this.sessionId = sessionId;
        this.settings = settings;
        this.metrics = metrics;
        long burstSamples = settings.burst().toMillis() * 48;
        this.continuous = new OggStreamMux(false, burstSamples);
        this.chained = new OggStreamMux(true, burstSamples);
        this.pacer = new StreamPacer(settings.silenceAfter().toMillis());
    }

    String sessionId() {
        return sessionId;
    }

    /**
     * Creates the encoder: {@code sourceChannels} from the session's first chunk (2 when none is buffered).
     *
     * @param audioBuffered whether chunks follow at once (the burst); if not, the Ogg streams carry silence from now
     *                      until the sender's first audio (see {@link #tick})
     */
    void initialize(int sourceChannels, int inputRate, StreamTags initialTags, boolean audioBuffered) {
        List<OggListener> toWrite;
        encoding.lock();
        lock.lock();
        try {
            encoder = new OpusStreamEncoder(OpusStreamEncoder.opusChannelsFor(sourceChannels), settings.bitrate());
            continuous.start(encoder, inputRate, initialTags);
            chained.start(encoder, inputRate, initialTags);
            sinks.forEach(sink -> sink.started(encoder.channels(), encoder.preSkip()));
            if (!audioBuffered) pacer.leadIn(System.nanoTime());
        } finally {
            toWrite = listenersToWrite();
            lock.unlock();
            encoding.unlock();
        }
        writeQueued(toWrite);
    }

    void attach(OggListener listener, boolean chainedStream) {
        lock.lock();
        try {
            (chainedStream ? chained : continuous).attach(listener);
        } finally {
            lock.unlock();
        }
    }

    /** Removes a listener; returns how many listeners of any kind remain. */
    int detach(OggListener listener) {
        lock.lock();
        try {
            continuous.detach(listener);
            chained.detach(listener);
            return listenerCount();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a sink. One joining a running encoder is handed the session's metadata as the sinks last had it, before
     * any frame: it would otherwise know nothing of the track until the sender's next update (a recorder taking a
     * recording over would write its part with no lyrics, cover or song position). The fan-out lock makes it either
     * this or the next update through {@link #metadata}, never both or neither. A sink that
     * {@link OpusSink#wantsRecent} is then handed the recent chunks' frames, as they were first handed out, so it
     * starts with the last few seconds whatever else this encoder serves; the lock makes them meet the next live
     * frame without a gap or a repeat.
     */
    void addSink(OpusSink sink) {
        lock.lock();
        try {
            sinks.add(sink);
            if (encoder != null) sink.started(encoder.channels(), encoder.preSkip());
            if (latestMetadataJson != null) sink.metadata(latestTags, latestMetadataJson);
            if (sink.wantsRecent()) recent.forEach(encoded -> sink.frames(encoded.frames(), encoded.origin()));
            if (ended) sink.ended(null); // joined between the end and the feed's close: it learns at once
        } finally {
            lock.unlock();
        }
    }

    int removeSink(OpusSink sink) {
        lock.lock();
        try {
            sinks.remove(sink);
            return listenerCount();
        } finally {
            lock.unlock();
        }
    }

    int listenerCount() {
        return continuous.listenerCount() + chained.listenerCount() + sinks.size();
    }

    /** A released chunk, in sequence order: encoded and fanned out. */
    void audio(ChunkPcm chunk) {
        List<OggListener> toWrite;
        encoding.lock();
        try {
            if (encoder == null || ended) return;
            StreamTags retag = titleChanges.dueWith(chunk);
            long firstFrame = encoder.samplesEncoded();
            List<OpusFrame> frames = timed(() -> encoder.encodeChunk(chunk.sequenceNumber(), chunk.samples(),
                    chunk.sampleRate(), chunk.channels()));
            OpusSink.Origin origin = new OpusSink.Origin(chunk.sequenceNumber(), chunk.timestamp(), chunk.sampleRate(),
                    chunk.channels(), chunk.presentationTime(), encoder.lastChunkStart() - firstFrame, firstFrame);
            pacer.encoded(encoder.samplesEncoded(), System.nanoTime());
            // The new title starts with the frame that decodes the chunk's first sample (output trails by pre-skip).
            int changeAt = (int) ((origin.leadSamples() + encoder.preSkip()) / OpusStreamEncoder.FRAME_SAMPLES);
            toWrite = fanOut(frames, origin, retag, changeAt);
        } finally {
            encoding.unlock();
        }
        writeQueued(toWrite);
    }

    /** Chunks {@code from}..{@code to} were skipped (encoding fell behind): counted, told, silence in their place. */
    void skipped(long from, long to) {
        metrics.encoderSkipped(to - from + 1);
        List<OggListener> toWrite;
        encoding.lock();
        try {
            if (encoder == null || ended) return;
            lock.lock();
            try {
                sinks.forEach(sink -> sink.skipped(from, to));
            } finally {
                lock.unlock();
            }
            toWrite = fanOut(timed(() -> encoder.skipThrough(from, to)), null, null, 0);
        } finally {
            encoding.unlock();
        }
        writeQueued(toWrite);
    }

    /**
     * New title/artist/cover: sinks get {@code metadataJson} at once (push listeners line it up by its timestamp);
     * the Ogg streams take it with the audio it belongs to ({@link TitleChanges}).
     */
    void metadata(StreamTags next, long timestamp, byte[] metadataJson) {
        encoding.lock();
        try {
            titleChanges.add(next, timestamp);
        } finally {
            encoding.unlock();
        }
        lock.lock();
        try {
            latestTags = next;
            latestMetadataJson = metadataJson;
            sinks.forEach(sink -> sink.metadata(next, metadataJson));
        } finally {
            lock.unlock();
        }
    }


    /**
     * Adds silence when the stream has fallen behind the wall clock (the sender pauses); called by a timer.
     *
     * <p>Before the sender's first audio the silence goes to the Ogg streams only: a player that connects to a session
     * that has started but not yet played must get audio (headers alone leave it waiting forever), while sinks start
     * with the audio, as they would on an encoder already running (push listeners hear nothing during a pause
     * anyway, and a recording must not begin with the wait). The encoder is stereo then, unless the burst said
     * otherwise: a mono sender's audio is mixed up to it, because a continuous stream cannot change its channel count
     * without a chained link, which stops Chrome's {@code <audio>}.
     */
    void tick(long nowNanos) {
        if (!encoding.tryLock()) return;
        List<OggListener> toWrite;
        try {
            if (encoder == null || ended) return;
            long silence = pacer.silenceNeeded(encoder.samplesEncoded(), nowNanos);
            int frames = (int) Math.min(silence / OpusStreamEncoder.FRAME_SAMPLES, 50);
            if (frames == 0) return;
            List<OpusFrame> silent = timed(() -> encoder.encodeSilence(frames));
            toWrite = pacer.inLeadIn() ? toStreams(silent) : fanOut(silent, null, null, 0);
        } finally {
            encoding.unlock();
        }
        writeQueued(toWrite);
    }

    /** The session ended: end-of-stream pages, then every listener completes. */
    void end() {
        List<OggListener> toWrite;
        encoding.lock();
        lock.lock();
        try {
            if (ended) return;
            ended = true;
            if (encoder != null) {
                OpusStreamEncoder.Ending ending = encoder.finish();
                continuous.end(ending);
                chained.end(ending);
                sinks.forEach(sink -> sink.ended(ending));
            } else {
                continuous.end(null);
                chained.end(null);
                sinks.forEach(sink -> sink.ended(null));
            }
        } finally {
            toWrite = listenersToWrite();
            lock.unlock();
            encoding.unlock();
        }
        writeQueued(toWrite);
    }

    /** Encoding on this node stopped for another reason (overload, shutdown): listeners are dropped. */
    void abort() {
        encoding.lock();
        lock.lock();
        try {
            ended = true;
            continuous.abort();
            chained.abort();
            sinks.forEach(sink -> sink.ended(null));
        } finally {
            lock.unlock();
            encoding.unlock();
        }
    }

    /**
     * Hands frames to the streams and sinks under the fan-out lock (called with the encoding lock held, so frames
     * go out in the order they were encoded).
     *
     * @param retag    new tags from frame {@code changeAt} on (null: none)
     * @return the listeners to write to once the locks are released
     */
    private List<OggListener> fanOut(List<OpusFrame> frames, OpusSink.Origin origin, StreamTags retag,
            int changeAt) {
        if (frames.isEmpty() && origin == null && retag == null) return List.of();
        lock.lock();
        try {
            if (ended) return List.of(); // aborted while this was being encoded
            continuous.write(frames, retag, changeAt);
            chained.write(frames, retag, changeAt);
            List<OpusFrame> shared = List.copyOf(new ArrayList<>(frames));
            sinks.forEach(sink -> sink.frames(shared, origin));
            if (origin != null) remember(shared, origin);
            return listenersToWrite();
        } finally {
            lock.unlock();
        }
    }

    /** Keeps a chunk's frames among the recent ones, dropping the oldest beyond {@link OpusSink#RECENT_MICROS}. */
    private void remember(List<OpusFrame> frames, OpusSink.Origin origin) {
        long duration = frames.stream().mapToLong(OpusFrame::durationMicros).sum();
        recent.addLast(new Encoded(frames, origin, duration));
        recentMicros += duration;
        while (recent.size() > 1 && recentMicros - recent.peekFirst().durationMicros() >= OpusSink.RECENT_MICROS) {
            recentMicros -= recent.removeFirst().durationMicros();
        }
    }

    /** Hands frames to the Ogg streams only (lead-in silence: see {@link #tick}). */
    private List<OggListener> toStreams(List<OpusFrame> frames) {
        lock.lock();
        try {
            if (ended) return List.of();
            continuous.write(frames);
            chained.write(frames);
            return listenersToWrite();
        } finally {
            lock.unlock();
        }
    }

    /** Listeners the streams offered pages to under the lock; taken before it is released. */
    private List<OggListener> listenersToWrite() {
        List<OggListener> first = continuous.takeListenersToWrite();
        List<OggListener> second = chained.takeListenersToWrite();
        if (first.isEmpty() || second.isEmpty()) return first.isEmpty() ? second : first;
        List<OggListener> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    /**
     * Socket writes happen here, after the lock is released: a fan-out to thousands of listeners would otherwise
     * hold up joining listeners and the pacer. Each listener's queue keeps the order its pages were offered in.
     */
    private static void writeQueued(List<OggListener> listeners) {
        for (OggListener listener : listeners) listener.writeQueued();
    }

    /** Runs an encoder call, adding its CPU time to the encoder's metric. */
    private List<OpusFrame> timed(java.util.function.Supplier<List<OpusFrame>> encoderCall) {
        long cpuBefore = cpuNanos();
        List<OpusFrame> frames = encoderCall.get();
        metrics.encoderCpu(cpuNanos() - cpuBefore);
        return frames;
    }

    private static long cpuNanos() {
        try {
            long nanos = THREADS.getCurrentThreadCpuTime();
            return nanos < 0 ? 0 : nanos;
        } catch (UnsupportedOperationException e) {
            return 0;
        }
    }
}
