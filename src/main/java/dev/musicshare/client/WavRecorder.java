package dev.musicshare.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Saves received audio as a float32 WAV file, opened with the first chunk's format. A later change of format is
 * reported and the file keeps the first (a WAV has one format).
 */
final class WavRecorder implements AutoCloseable {
    private final Path out;
    private final Consumer<String> log;
    private WavFile.Writer wav;

    WavRecorder(Path out, Consumer<String> log) {
        this.out = out;
        this.log = log;
    }

    /** @param samples float32 little-endian interleaved samples, as a chunk's base64 decodes */
    void write(byte[] samples, int sampleRate, int channels) throws IOException {
        if (wav == null) wav = new WavFile.Writer(out, sampleRate, channels);
        if (wav.sampleRate() != sampleRate || wav.channels() != channels) {
            log.accept("Format changed to " + sampleRate + " Hz " + channels + " ch; the WAV keeps the first");
        }
        wav.writeRaw(samples);
    }

    @Override
    public void close() throws IOException {
        if (wav != null) wav.close();
    }
}
