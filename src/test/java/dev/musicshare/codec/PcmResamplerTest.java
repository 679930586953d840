package dev.musicshare.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.testing.Signals;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PcmResamplerTest {
    @Test
    void a_1khz_sine_streamed_in_100ms_chunks_comes_out_at_48khz_with_more_than_70_db_snr() {
        float[] source = Signals.sine(44_100, 1_000, 44_100 * 2, 0.5);
        PcmResampler resampler = new PcmResampler(44_100, 1);
        float[] output = new float[0];
        for (int from = 0; from < source.length; from += 4_410) {
            float[] chunk = Arrays.copyOfRange(source, from, Math.min(from + 4_410, source.length));
            output = concat(output, resampler.process(chunk, chunk.length));
        }
        output = concat(output, resampler.flush());

        assertThat(output.length).isBetween(96_000 - 2, 96_000 + 2);
        float[] ideal = Signals.sine(48_000, 1_000, output.length, 0.5);
        // The edges hold the filter's start-up against the zeros before the signal: measured inside them.
        double signal = 0;
        double noise = 0;
        for (int i = 2_400; i < output.length - 2_400; i++) {
            signal += ideal[i] * (double) ideal[i];
            double error = output[i] - ideal[i];
            noise += error * error;
        }
        double snrDb = 10 * Math.log10(signal / noise);
        System.out.printf("resampler 44.1 -> 48 kHz, 1 kHz sine in 100 ms chunks: SNR %.1f dB%n", snrDb);
        assertThat(snrDb).isGreaterThan(70);
    }

    @Test
    void audio_already_at_48khz_passes_through_unchanged() {
        float[] source = Signals.sine(48_000, 440, 960, 0.5);
        assertThat(new PcmResampler(48_000, 1).process(source, source.length)).containsExactly(source);
    }

    @Test
    void stereo_channels_are_converted_independently() {
        float[] left = Signals.sine(44_100, 500, 44_100, 0.5);
        float[] stereo = new float[left.length * 2];
        for (int i = 0; i < left.length; i++) stereo[2 * i] = left[i]; // right stays silent
        PcmResampler resampler = new PcmResampler(44_100, 2);
        float[] out = resampler.process(stereo, left.length);
        double right = 0;
        double leftEnergy = 0;
        for (int i = 0; i < out.length / 2; i++) {
            leftEnergy += out[2 * i] * out[2 * i];
            right += out[2 * i + 1] * out[2 * i + 1];
        }
        assertThat(leftEnergy).isGreaterThan(1_000);
        assertThat(right).isLessThan(1e-9);
    }

    static float[] concat(float[] a, float[] b) {
        float[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
