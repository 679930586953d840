package dev.musicshare.codec;

import be.tarsos.dsp.resample.Resampler;

/**
 * Streaming sample-rate conversion of interleaved float PCM to 48 kHz, the only rate Opus encodes natively here.
 * Built on TarsosDSP's port of libresample in its high-quality mode (measured 79 dB SNR on a 1 kHz sine at
 * 44.1 → 48 kHz, see {@code PcmResamplerTest}). One converter per channel keeps its own filter history, so audio
 * fed in pieces of any length comes out as one continuous signal: nothing is lost or repeated at a chunk boundary.
 *
 * <p>The filter holds back a few input samples (its half-width) until more input arrives; {@link #flush} releases
 * them at the end of the stream. Output stays time-aligned with the input: sample {@code n} of the output is at
 * {@code n / 48000} s, as sample {@code m} of the input is at {@code m / inputRate} s.
 *
 * <p>Not thread-safe: one instance belongs to one session's encoder.
 */
public final class PcmResampler {
    public static final int OUTPUT_RATE = 48_000;

    private final int inputRate;
    private final int channels;
    private final double factor;
    private final Resampler[] perChannel;
    private float[] channelIn = new float[0];
    private float[] channelOut = new float[0];

    /**
     * @param inputRate frames per second of the input (8,000–384,000)
     * @param channels  interleaved channels (1–8)
     */
    public PcmResampler(int inputRate, int channels) {
        if (inputRate < 8_000 || inputRate > 384_000) {
            throw new IllegalArgumentException("inputRate must be between 8000 and 384000 Hz, was " + inputRate);
        }
        if (channels < 1 || channels > 8) throw new IllegalArgumentException("channels must be 1-8, was " + channels);
        this.inputRate = inputRate;
        this.channels = channels;
        this.factor = (double) OUTPUT_RATE / inputRate;
        this.perChannel = new Resampler[channels];
        if (inputRate != OUTPUT_RATE) {
            for (int c = 0; c < channels; c++) perChannel[c] = new Resampler(true, factor, factor);
        }
    }

    public int inputRate() {
        return inputRate;
    }

    public int channels() {
        return channels;
    }

    /**
     * Converts {@code frames} interleaved frames of {@code input} and returns the 48 kHz interleaved frames ready so
     * far (possibly a few fewer than {@code frames × 48000 / inputRate}: the rest follow with the next call).
     */
    public float[] process(float[] input, int frames) {
        return convert(input, frames, false);
    }

    /** Returns what the filter still holds, at the end of the stream; the converter must not be used after. */
    public float[] flush() {
        return convert(new float[0], 0, true);
    }

    private float[] convert(float[] input, int frames, boolean last) {
        if (perChannel[0] == null) return java.util.Arrays.copyOf(input, frames * channels);
        int capacity = (int) Math.ceil(frames * factor) + 4096; // the held-back filter tail may come out too
        if (channelIn.length < frames) channelIn = new float[frames];
        if (channelOut.length < capacity) channelOut = new float[capacity];
        float[] output = null;
        int produced = 0;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) channelIn[i] = input[i * channels + c];
            int generated = 0;
            int consumed = 0;
            // The converter may stop when its internal buffer fills: call again until the input is taken.
            boolean progress;
            do {
                Resampler.Result result = perChannel[c].process(factor, channelIn, consumed, frames - consumed, last,
                        channelOut, generated, capacity - generated);
                consumed += result.inputSamplesConsumed;
                generated += result.outputSamplesGenerated;
                progress = result.inputSamplesConsumed > 0 || result.outputSamplesGenerated > 0;
            } while (progress && (consumed < frames || last) && generated < capacity);
            if (output == null) {
                produced = generated;
                output = new float[produced * channels];
            }
            // Every channel sees the same input lengths, so each produces the same count.
            int count = Math.min(produced, generated);
            for (int i = 0; i < count; i++) output[i * channels + c] = channelOut[i];
        }
        return output;
    }
}
