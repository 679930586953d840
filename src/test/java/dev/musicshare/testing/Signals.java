package dev.musicshare.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Known test signals and the measures that compare a decoded signal with its source. */
public final class Signals {
    private Signals() {}

    /**
     * A logarithmic sine sweep from 200 Hz to 5 kHz (an unambiguous alignment: no two stretches look alike),
     * amplitude 0.5, as interleaved float samples; channel c is the sweep scaled by (1 - 0.3c), so channels differ.
     */
    public static float[] sweep(int sampleRate, int channels, double seconds) {
        int frames = (int) Math.round(sampleRate * seconds);
        float[] samples = new float[frames * channels];
        double f0 = 200;
        double f1 = 5_000;
        double k = Math.log(f1 / f0) / seconds;
        for (int i = 0; i < frames; i++) {
            double t = (double) i / sampleRate;
            double phase = 2 * Math.PI * f0 * (Math.exp(k * t) - 1) / k;
            for (int c = 0; c < channels; c++) samples[i * channels + c] = (float) (0.5 * (1 - 0.3 * c) * Math.sin(phase));
        }
        return samples;
    }

    /** A sine of {@code hz} at amplitude {@code amplitude}, mono. */
    public static float[] sine(int sampleRate, double hz, int frames, double amplitude) {
        float[] samples = new float[frames];
        for (int i = 0; i < frames; i++) samples[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / sampleRate));
        return samples;
    }

    /** The source resampled to 48 kHz by linear interpolation: the reference a decoded stream is compared with. */
    public static float[] at48k(float[] source, int sampleRate, int channels) {
        int frames = source.length / channels;
        int outFrames = (int) ((long) frames * 48_000 / sampleRate);
        float[] out = new float[outFrames * channels];
        for (int i = 0; i < outFrames; i++) {
            double position = (double) i * sampleRate / 48_000;
            int base = (int) position;
            double fraction = position - base;
            for (int c = 0; c < channels; c++) {
                float a = source[Math.min(base, frames - 1) * channels + c];
                float b = source[Math.min(base + 1, frames - 1) * channels + c];
                out[i * channels + c] = (float) (a + (b - a) * fraction);
            }
        }
        return out;
    }

    /** Pearson correlation of {@code a[offset…]} with {@code b[0…]} over {@code length} samples. */
    public static double correlation(float[] a, int offset, float[] b, int length) {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        for (int i = 0; i < length; i++) {
            double x = a[offset + i];
            double y = b[i];
            sa += x;
            sb += y;
            saa += x * x;
            sbb += y * y;
            sab += x * y;
        }
        double cov = sab - sa * sb / length;
        double va = saa - sa * sa / length;
        double vb = sbb - sb * sb / length;
        return cov / Math.sqrt(va * vb);
    }

    /** The lag (in interleaved samples, whole frames) within ±maxLagFrames at which {@code decoded} best matches. */
    public static int bestLag(float[] decoded, float[] reference, int channels, int maxLagFrames, int length) {
        int best = 0;
        double bestCorrelation = -2;
        for (int lag = 0; lag <= maxLagFrames; lag++) {
            int offset = lag * channels;
            if (offset + length > decoded.length) break;
            double c = correlation(decoded, offset, reference, length);
            if (c > bestCorrelation) {
                bestCorrelation = c;
                best = offset;
            }
        }
        return best;
    }

    /** Little-endian float32 base64, as a sender posts it. */
    public static String base64(float[] samples, int from, int to) {
        ByteBuffer buffer = ByteBuffer.allocate((to - from) * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = from; i < to; i++) buffer.putFloat(samples[i]);
        return Base64.getEncoder().encodeToString(buffer.array());
    }
}
