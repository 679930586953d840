package dev.musicshare.stream;

import dev.musicshare.codec.OpusFrame;
import dev.musicshare.codec.OpusStreamEncoder;
import dev.musicshare.codec.StreamTags;
import java.util.List;

/**
 * A consumer of a session's Opus frames besides the Ogg streams: push listeners in Opus, a recorder. Called under
 * the session's lock, in stream order; an implementation must not block (queue, then write elsewhere).
 */
public interface OpusSink {
    /**
     * How much of the stream's recent audio, microseconds, the encoder keeps for a sink that {@link #wantsRecent}: about
     * the store's audio buffer (50 chunks of 0.1 s), what a PCM push listener starts from.
     */
    long RECENT_MICROS = 5_000_000;

    /**
     * Whether this sink starts with the stream's recent audio: when it joins a running encoder it is handed the frames
     * of the last ~{@link #RECENT_MICROS} of chunks (with their real origins) before any live frame, and an encoder
     * started for it begins with that much of the buffer instead of the burst. Push listeners want it, as PCM ones
     * get the buffer; a recorder does not (it records from when it starts).
     */
    default boolean wantsRecent() {
        return false;
    }

    /** The encoder exists: its channel count and look-ahead (pre-skip, samples at 48 kHz). */
    void started(int channels, int preSkip);

    /**
     * Frames encoded from one chunk ({@code origin} names it) or, with {@code origin} null, silence the stream
     * carries while the sender pauses. A chunk may yield no frame (it only filled the remainder).
     */
    void frames(List<OpusFrame> frames, Origin origin);

    /**
     * The session's metadata changed, in order with the frames: {@code tags} as the Ogg streams carry them (cover
     * included), {@code metadataJson} the metadata event as push listeners get it (lyrics, positions). A sink that
     * joins a running encoder is first handed the last one the encoder had, so it never starts without it.
     */
    default void metadata(StreamTags tags, byte[] metadataJson) {}

    /**
     * The encoder skipped chunks {@code from}..{@code to} (it fell behind, or they were lost): their time follows as
     * silence, frames without an origin. Push listeners are owed a {@code gap}, as for PCM.
     */
    default void skipped(long from, long to) {}

    /** The stream ended; {@code ending} is null when it broke off rather than ended. */
    void ended(OpusStreamEncoder.Ending ending);

    /**
     * The chunk frames were encoded from.
     *
     * @param sequenceNumber the chunk's sequence number
     * @param timestamp      the sender's capture time, epoch millis
     * @param sampleRate     the chunk's own rate (the frames are 48 kHz)
     * @param channels       the chunk's own channel count
     * @param presentationTime when the chunk's first sample is to be heard, epoch milliseconds (NaN: unknown)
     * @param leadSamples    how many samples (48 kHz) the first frame starts before the chunk's first sample: the
     *                       remainder carried from earlier chunks (and any silence filling a hole before this one)
     * @param firstSample    the first frame's position in the encoder's stream, samples at 48 kHz (0: the stream's
     *                       start, where a decoder drops the pre-skip)
     */
    record Origin(long sequenceNumber, long timestamp, int sampleRate, int channels, double presentationTime,
            long leadSamples, long firstSample) {}
}
