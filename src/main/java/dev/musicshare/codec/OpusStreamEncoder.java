package dev.musicshare.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one session's float PCM chunks, fed in sequence order, into a continuous series of 20 ms Opus frames at
 * 48 kHz (Concentus, pure Java). The stream keeps a single timeline however the audio arrives:
 * <ul>
 *   <li>chunks may have any length: what does not fill a whole frame waits for the next chunk (the remainder);</li>
 *   <li>a skipped hole in the sequence numbers becomes silence as long as the missing chunks (estimated from the
 *       chunk before the hole), never a jump in time; silence costs no encoder CPU (after one encoded silent frame,
 *       which carries the tail of the audio before it out of the encoder's look-ahead, each silent frame is a
 *       prebuilt packet), so an overloaded encoder that skips chunks does catch up;</li>
 *   <li>a change of input rate or channel count mid-stream is converted, not refused: the Opus channel count is
 *       fixed when the stream starts (OpusHead cannot change), so later chunks are mixed to it.</li>
 * </ul>
 * Mono stays mono; stereo and anything wider are encoded as stereo (wider input is mixed down).
 *
 * <p>Not thread-safe: a session's encoder is driven by one task at a time.
 */
public final class OpusStreamEncoder {
    /** 20 ms at 48 kHz: the frame size the issue asks for, Opus's usual music frame. */
    public static final int FRAME_SAMPLES = 960;
    public static final int DEFAULT_BITRATE = 128_000;
    public static final int MIN_BITRATE = 6_000;
    public static final int MAX_BITRATE = 510_000;
    /** RFC 6716's largest packet. */
    private static final int MAX_PACKET_BYTES = 1275;

    private final int channels;
    private final byte[] silencePacket;
    private final OpusEncoder encoder;
    private final short[] frameSamples;
    private final byte[] packetBuffer = new byte[MAX_PACKET_BYTES];
    /** 48 kHz interleaved samples (in {@link #channels}) waiting to fill a frame. */
    private float[] pending = new float[FRAME_SAMPLES * 2 * 8];
    private int pendingFrames;
    private PcmResampler resampler;
    private long lastSequenceNumber = -1;
    /**
     * The first chunk skipped before any chunk was taken (-1: none): an encoder that starts cold on an overloaded node
     * may skip the session's first chunks, whose time still belongs at the head of the stream.
     */
    private long firstSkippedBeforeStart = -1;
    /** Frames per channel of the chunk before, at its own rate: the length a missing chunk is assumed to have. */
    private int lastChunkFrames;
    private long samplesEncoded;
    /** Frames handed to Concentus (the rest were silence, sent as {@link OpusSilence}'s packet). */
    private long framesThroughEncoder;
    /**
     * Whether the last frame handed to Concentus was silent, so its look-ahead holds only zeros: a silent frame may
     * then be replaced by the prebuilt packet without cutting off the tail of the audio before it.
     */
    private boolean encoderHoldsSilence = true;
    /** The input's duration so far in samples at 48 kHz (fractional: 44.1 kHz chunks rarely map to whole samples). */
    private double inputPosition;
    private double lastChunkStart;

    /**
     * @param channels Opus channels, 1 or 2 (from the session's first chunk: 1 for mono, 2 otherwise)
     * @param bitrate  bits per second, {@value #MIN_BITRATE}–{@value #MAX_BITRATE}
     */
    public OpusStreamEncoder(int channels, int bitrate) {
        if (channels != 1 && channels != 2) throw new IllegalArgumentException("channels must be 1 or 2, was " + channels);
        if (bitrate < MIN_BITRATE || bitrate > MAX_BITRATE) {
            throw new IllegalArgumentException("bitrate must be between " + MIN_BITRATE + " and " + MAX_BITRATE
                    + " bits/s, was " + bitrate);
        }
        this.channels = channels;
        this.silencePacket = OpusSilence.packet(channels, bitrate);
        this.frameSamples = new short[FRAME_SAMPLES * channels];
        try {
            encoder = new OpusEncoder(PcmResampler.OUTPUT_RATE, channels, OpusApplication.OPUS_APPLICATION_AUDIO);
        } catch (OpusException e) {
            throw new IllegalStateException("Opus encoder could not be created: " + e.getMessage(), e);
        }
        encoder.setBitrate(bitrate);
        encoder.setSignalType(OpusSignal.OPUS_SIGNAL_MUSIC);
    }

    /** The Opus channel count a stream of {@code sourceChannels} is encoded with: mono stays mono. */
    public static int opusChannelsFor(int sourceChannels) {
        return sourceChannels == 1 ? 1 : 2;
    }

    public int channels() {
        return channels;
    }

    /**
     * Samples (48 kHz) a decoder must drop at the start: the encoder's look-ahead, written as OpusHead's pre-skip
     * (RFC 7845 section 4.2).
     */
    public int preSkip() {
        return encoder.getLookahead();
    }

    /** Samples per channel (48 kHz) in every frame returned so far: the stream's position. */
    public long samplesEncoded() {
        return samplesEncoded;
    }

    /**
     * Frames run through the Opus encoder so far. Silence (skipped chunks, a paused sender) after the first silent
     * frame is sent as a prebuilt packet instead, so it costs no encoder CPU; {@link #samplesEncoded()} counts both.
     */
    public long framesThroughEncoder() {
        return framesThroughEncoder;
    }

    /**
     * Where the last chunk taken begins in the stream, samples per channel at 48 kHz (the resampler keeps output
     * time-aligned with input, so this is the input's duration before it, holes and silence included).
     */
    public long lastChunkStart() {
        return Math.round(lastChunkStart);
    }

    /** The sequence number of the last chunk taken, -1 before the first. */
    public long lastSequenceNumber() {
        return lastSequenceNumber;
    }

    /**
     * Encodes a chunk and returns the whole frames now complete (possibly none: a short chunk may only add to the
     * remainder). A chunk at or below the last sequence number taken is a duplicate and is ignored.
     *
     * @param sequenceNumber the chunk's position in the session (0 up)
     * @param pcm            interleaved float32 samples, nominally within [-1, 1] (clipped beyond)
     * @param sampleRate     the chunk's frames per second
     * @param sourceChannels the chunk's interleaved channels
     */
    public List<OpusFrame> encodeChunk(long sequenceNumber, float[] pcm, int sampleRate, int sourceChannels) {
        if (sequenceNumber <= lastSequenceNumber) return List.of();
        int frames = pcm.length / sourceChannels;
        if (resampler == null || resampler.inputRate() != sampleRate) {
            if (resampler != null) append(resampler.flush());
            resampler = new PcmResampler(sampleRate, channels);
            lastChunkFrames = 0;
        }
        if (lastSequenceNumber < 0 && firstSkippedBeforeStart >= 0 && firstSkippedBeforeStart < sequenceNumber) {
            lastSequenceNumber = firstSkippedBeforeStart - 1; // -1 when the session's chunk 0 was skipped
            lastChunkFrames = frames;
        }
        fillHoleBefore(sequenceNumber);
        lastChunkStart = inputPosition;
        inputPosition += frames * (double) PcmResampler.OUTPUT_RATE / sampleRate;
        lastSequenceNumber = sequenceNumber;
        lastChunkFrames = frames;
        append(resampler.process(mix(pcm, frames, sourceChannels), frames));
        return drainFrames();
    }

    /**
     * Chunks {@code from} up to {@code sequenceNumber} will not come (they were skipped): their time becomes silence
     * now, as long as the chunks before them, instead of when the next chunk comes (which may be never, at the end).
     * Skipped before the first chunk, they become silence as long as that chunk, at the head of the stream.
     *
     * @return the frames now complete
     */
    public List<OpusFrame> skipThrough(long from, long sequenceNumber) {
        if (sequenceNumber <= lastSequenceNumber) return List.of();
        if (lastSequenceNumber < 0) {
            // Before the first chunk the length of a chunk is unknown: the first chunk taken fills the hole before it.
            if (firstSkippedBeforeStart < 0 || from < firstSkippedBeforeStart) firstSkippedBeforeStart = from;
            return List.of();
        }
        fillHoleBefore(sequenceNumber + 1);
        lastSequenceNumber = sequenceNumber;
        return drainFrames();
    }

    /** Silence for the chunks missing before {@code sequenceNumber}, each as long as the last chunk taken. */
    private void fillHoleBefore(long sequenceNumber) {
        if (sequenceNumber <= lastSequenceNumber + 1 || lastChunkFrames == 0) return;
        long missing = sequenceNumber - lastSequenceNumber - 1;
        int sampleRate = resampler.inputRate();
        // Bounded: a hole wider than a minute is a restart of the sender, not audio to fill.
        long holeFrames = Math.min(missing * lastChunkFrames, 60L * sampleRate);
        append(resampler.process(new float[(int) holeFrames * channels], (int) holeFrames));
        inputPosition += holeFrames * (double) PcmResampler.OUTPUT_RATE / sampleRate;
    }

    /**
     * Encodes {@code frameCount} frames of silence after what was fed so far: what a live stream carries while the
     * sender pauses. The remainder is completed with silence first, so the timeline stays exact. Past the first
     * silent frame these are the prebuilt silence packet, not encoder work (see {@link #framesThroughEncoder()}).
     */
    public List<OpusFrame> encodeSilence(int frameCount) {
        int wanted = frameCount * FRAME_SAMPLES - pendingFrames;
        if (wanted > 0) {
            append(new float[wanted * channels]);
            inputPosition += wanted;
        }
        return drainFrames();
    }

    /**
     * Ends the stream: releases the resampler's tail, then feeds silence until the encoder has emitted every real
     * sample (its look-ahead delays each by {@link #preSkip()}) and the last frame is whole.
     *
     * @return the last frames, and how many samples per channel at their end are padding (for RFC 7845 end trimming)
     */
    public Ending finish() {
        if (resampler != null) append(resampler.flush());
        long audio = samplesEncoded + pendingFrames; // every sample fed, silence fills included
        long needed = audio + preSkip();
        long total = (needed + FRAME_SAMPLES - 1) / FRAME_SAMPLES * FRAME_SAMPLES;
        if (total == samplesEncoded) total += FRAME_SAMPLES; // an end-of-stream page needs a packet to carry it
        append(new float[(int) (total - samplesEncoded - pendingFrames) * channels]);
        List<OpusFrame> frames = drainFrames();
        return new Ending(frames, (int) (total - needed));
    }

    /**
     * The stream's last frames.
     *
     * @param frames  the frames to write on the end-of-stream page
     * @param padding samples per channel of silence added to complete the last frame
     */
    public record Ending(List<OpusFrame> frames, int padding) {}

    private float[] mix(float[] pcm, int frames, int sourceChannels) {
        if (sourceChannels == channels) return pcm;
        float[] mixed = new float[frames * channels];
        for (int f = 0; f < frames; f++) {
            if (channels == 1) {
                float sum = 0;
                for (int c = 0; c < sourceChannels; c++) sum += pcm[f * sourceChannels + c];
                mixed[f] = sum / sourceChannels;
            } else if (sourceChannels == 1) {
                mixed[2 * f] = mixed[2 * f + 1] = pcm[f];
            } else { // wider than stereo: odd channels to the left, even to the right
                float left = 0;
                float right = 0;
                for (int c = 0; c < sourceChannels; c++) {
                    if (c % 2 == 0) left += pcm[f * sourceChannels + c];
                    else right += pcm[f * sourceChannels + c];
                }
                mixed[2 * f] = left / ((sourceChannels + 1) / 2);
                mixed[2 * f + 1] = right / (sourceChannels / 2);
            }
        }
        return mixed;
    }

    private void append(float[] samples) {
        int needed = (pendingFrames * channels) + samples.length;
        if (pending.length < needed) pending = java.util.Arrays.copyOf(pending, Math.max(needed, pending.length * 2));
        System.arraycopy(samples, 0, pending, pendingFrames * channels, samples.length);
        pendingFrames += samples.length / channels;
    }

    private List<OpusFrame> drainFrames() {
        int whole = pendingFrames / FRAME_SAMPLES;
        if (whole == 0) return List.of();
        List<OpusFrame> frames = new ArrayList<>(whole);
        for (int i = 0; i < whole; i++) {
            int base = i * FRAME_SAMPLES * channels;
            boolean silent = true;
            for (int s = 0; s < frameSamples.length; s++) {
                frameSamples[s] = toShort(pending[base + s]);
                silent &= frameSamples[s] == 0;
            }
            frames.add(new OpusFrame(silent && encoderHoldsSilence ? silencePacket : encodeFrame(), FRAME_SAMPLES));
            encoderHoldsSilence = silent;
        }
        int used = whole * FRAME_SAMPLES * channels;
        int left = pendingFrames * channels - used;
        System.arraycopy(pending, used, pending, 0, left);
        pendingFrames -= whole * FRAME_SAMPLES;
        samplesEncoded += (long) whole * FRAME_SAMPLES;
        return frames;
    }

    private byte[] encodeFrame() {
        try {
            framesThroughEncoder++;
            int length = encoder.encode(frameSamples, 0, FRAME_SAMPLES, packetBuffer, 0, MAX_PACKET_BYTES);
            return java.util.Arrays.copyOf(packetBuffer, length);
        } catch (OpusException e) {
            throw new IllegalStateException("Opus encoding failed: " + e.getMessage(), e);
        }
    }

    private static short toShort(float sample) {
        float scaled = sample * 32767f;
        if (scaled >= 32767f) return Short.MAX_VALUE;
        if (scaled <= -32768f) return Short.MIN_VALUE;
        return (short) Math.round(scaled);
    }
}
