package dev.musicshare.client;

import dev.musicshare.lyrics.LrcLyrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Shares one source in real time, as the desktop app does: a chunk every {@code chunkMillis} (sequence numbers from
 * 0), metadata every {@code metadataMillis} with the position, then stop. Chunks and metadata carry the sender's
 * playback clock as {@code timestamp} — the wall-clock moment the chunk's first frame plays here — so a listener
 * can line lyrics up with the audio it hears. The pace follows the monotonic clock, so a slow request is caught up
 * on rather than drifting.
 */
public final class Sharer {
    /** What is playing. {@code cover} is an image file's bytes (JPEG or PNG), or null. */
    public record Track(String title, String artist, String lyrics, byte[] cover) {}

    /** Where the share is, after each chunk: for a progress line. */
    public interface Progress {
        void update(double secondsSent, double totalSeconds, long chunks, int listeners);
    }

    /** What was sent. */
    public record Result(long chunks, long frames, long audioBytes, long metadataPosts, JsonNode stopAnswer) {}

    private final ShareApi api;
    private final AudioSource source;
    private final Track track;
    private final int chunkMillis;
    private final int metadataMillis;
    private final Consumer<String> log;
    private Progress progress = (sent, total, chunks, listeners) -> { };
    private Runnable started = () -> { };
    private int listeners;

    public Sharer(ShareApi api, AudioSource source, Track track, int chunkMillis, int metadataMillis,
            Consumer<String> log) {
        if (chunkMillis < 10 || chunkMillis > 5_000) throw new IllegalArgumentException("chunk length 10–5000 ms");
        this.api = api;
        this.source = source;
        this.track = track;
        this.chunkMillis = chunkMillis;
        this.metadataMillis = metadataMillis;
        this.log = log;
    }

    public Sharer onProgress(Progress progress) {
        this.progress = progress;
        return this;
    }

    /** Called once the server has accepted the session, before the first chunk: the moment to invite listeners. */
    public Sharer onStarted(Runnable started) {
        this.started = started;
        return this;
    }

    /**
     * Starts the session, sends until the source ends or {@code keepGoing} says stop, then stops the session unless
     * {@code stopAtEnd} is false.
     */
    public Result run(BooleanSupplier keepGoing, boolean stopAtEnd) throws IOException, InterruptedException {
        api.start();
        log.accept("Sharing session " + api.sessionId() + " (" + source.sampleRate() + " Hz, " + source.channels()
                + " ch, " + chunkMillis + " ms chunks)");
        started.run();
        int framesPerChunk = Math.max(1, source.sampleRate() * chunkMillis / 1000);
        float[] samples = new float[framesPerChunk * source.channels()];
        long startNanos = System.nanoTime();
        long startWallMillis = System.currentTimeMillis();
        long frames = 0;
        long bytes = 0;
        long metadataPosts = 0;
        long nextMetadataFrame = 0;
        long sequence = 0;
        while (keepGoing.getAsBoolean()) {
            if (metadataMillis > 0 && frames >= nextMetadataFrame) {
                listeners = api.postMetadata(metadataJson(frames, startWallMillis));
                metadataPosts++;
                nextMetadataFrame = frames + (long) source.sampleRate() * metadataMillis / 1000;
            }
            int read = source.read(samples, framesPerChunk);
            if (read == 0) break;
            long timestamp = startWallMillis + frames * 1000 / source.sampleRate();
            byte[] data = littleEndian(samples, read * source.channels());
            api.postAudio(chunkJson(data, timestamp, sequence++));
            frames += read;
            bytes += data.length;
            progress.update((double) frames / source.sampleRate(), source.durationSeconds(), sequence, listeners);
            long due = startNanos + frames * 1_000_000_000L / source.sampleRate();
            long wait = due - System.nanoTime();
            if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        if (metadataMillis > 0) {
            api.postMetadata(metadataJson(frames, startWallMillis));
            metadataPosts++;
        }
        JsonNode stopped = stopAtEnd ? api.stop() : null;
        return new Result(sequence, frames, bytes, metadataPosts, stopped);
    }

    private byte[] chunkJson(byte[] data, long timestamp, long sequence) throws IOException {
        ObjectNode chunk = ShareApi.JSON.createObjectNode();
        chunk.put("data", Base64.getEncoder().encodeToString(data)).put("sampleRate", source.sampleRate())
                .put("channels", source.channels()).put("timestamp", timestamp).put("sequenceNumber", sequence);
        return ShareApi.JSON.writeValueAsBytes(chunk);
    }

    private byte[] metadataJson(long frames, long startWallMillis) throws IOException {
        ObjectNode metadata = ShareApi.JSON.createObjectNode();
        double elapsed = (double) frames / source.sampleRate();
        metadata.put("title", track.title()).put("artist", track.artist()).put("lyrics", track.lyrics())
                .put("hasSyncedLyrics", LrcLyrics.isSynced(track.lyrics()))
                .put("elapsedSeconds", Math.round(elapsed * 1000) / 1000.0)
                .put("totalSeconds", Math.round(source.durationSeconds() * 1000) / 1000.0)
                .put("thumbnailData", track.cover() == null ? null : Base64.getEncoder().encodeToString(track.cover()))
                .put("timestamp", startWallMillis + frames * 1000 / source.sampleRate());
        return ShareApi.JSON.writeValueAsBytes(metadata);
    }

    static byte[] littleEndian(float[] samples, int count) {
        ByteBuffer bytes = ByteBuffer.allocate(count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) bytes.putFloat(samples[i]);
        return bytes.array();
    }
}
