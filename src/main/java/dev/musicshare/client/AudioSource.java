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
}
