package dev.musicshare.client;

import java.io.Closeable;
import java.io.IOException;

/** Audio to share: interleaved float samples at a fixed rate and channel count. */
public interface AudioSource extends Closeable {
    int sampleRate();

    int channels();

    /** Total length in seconds, or 0 when unknown or endless. */
    double durationSeconds();

    /**
     * Fills {@code frames} whole frames into {@code samples} (interleaved, at least frames × channels long).
     *
     * @return the frames read: fewer than asked only at the end; 0 when the source is exhausted
     */
    int read(float[] samples, int frames) throws IOException;

    @Override
    default void close() throws IOException {}

    /**
     * This source cut to its first {@code seconds} (counted in frames, so the audio sent is exactly that long, however
     * long starting the session took); closing it closes this one.
     */
    default AudioSource limitedTo(double seconds) {
        AudioSource whole = this;
        long limit = Math.round(seconds * sampleRate());
        return new AudioSource() {
            private long framesRead;

            @Override
            public int sampleRate() {
                return whole.sampleRate();
            }

            @Override
            public int channels() {
                return whole.channels();
            }

            @Override
            public double durationSeconds() {
                double total = whole.durationSeconds();
                return total > 0 ? Math.min(total, seconds) : seconds;
            }

            @Override
            public int read(float[] samples, int frames) throws IOException {
                int read = whole.read(samples, (int) Math.min(frames, limit - framesRead));
                framesRead += read;
                return read;
            }

            @Override
            public void close() throws IOException {
                whole.close();
            }
        };
    }
}
