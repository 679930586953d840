package dev.musicshare.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Listens to one session by push (Server-Sent Events, reconnecting with {@code since} after a drop) or by polling,
 * as the desktop receiver does. Reports what changed (track, lyric lines in time with the audio), optionally writes
 * the audio to a float32 WAV file, and accounts for every sequence number: received, missed (a gap), or seen twice.
 */
public final class Listener {
    public enum Mode { PUSH, POLL }

    /** A chunk that arrives this long after the sender stamped it is reported as late. */
    public static final long LATE_MILLIS = 2_000;

    /**
     * What was heard. {@code gaps} are inclusive ranges of sequence numbers never received; the delays are those of
     * chunks the sender stamped after this listener joined (the backlog sent on joining is older by design).
     */
    public record Report(long chunks, long frames, double seconds, long audioBytes, List<long[]> gaps, long duplicates,
            long metadataUpdates, String endedBecause, long medianDelayMillis, long maxDelayMillis, long lateChunks) {
        public long missed() {
            return gaps.stream().mapToLong(gap -> gap[1] - gap[0] + 1).sum();
        }
    }

    private final ShareApi api;
    private final Mode mode;
    private final int pollMillis;
    private final Path out;
    private final Consumer<String> log;
    private final boolean printLyrics;

    private WavFile.Writer wav;
    private long lastSequence = -1;
    private long chunks;
    private long frames;
    private double seconds;
    private long audioBytes;
    private long duplicates;
    private long metadataUpdates;
    private final List<long[]> gaps = new ArrayList<>();
    private final List<Long> delays = new ArrayList<>();
    private String trackKey;
    private JsonNode metadata;
    private LrcLyrics lyrics = LrcLyrics.parse(null);
    private int lyricLine = -1;
    private long joinedAtMillis;

    public Listener(ShareApi api, Mode mode, int pollMillis, Path out, boolean printLyrics, Consumer<String> log) {
        this.api = api;
        this.mode = mode;
        this.pollMillis = pollMillis;
        this.out = out;
        this.printLyrics = printLyrics;
        this.log = log;
    }

    /** Listens until the session ends or {@code deadlineNanos} (System.nanoTime) passes. */
    public Report run(long deadlineNanos) throws IOException, InterruptedException {
        joinedAtMillis = System.currentTimeMillis();
        try {
            String ended = mode == Mode.PUSH ? push(deadlineNanos) : poll(deadlineNanos);
            long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
            long median = sorted.length == 0 ? 0 : sorted[sorted.length / 2];
            long max = sorted.length == 0 ? 0 : sorted[sorted.length - 1];
            long late = java.util.Arrays.stream(sorted).filter(delay -> delay > LATE_MILLIS).count();
            return new Report(chunks, frames, seconds, audioBytes, List.copyOf(gaps), duplicates, metadataUpdates, ended,
                    median, max, late);
        } finally {
            if (wav != null) wav.close();
        }
    }

    private String push(long deadlineNanos) throws IOException, InterruptedException {
        int failures = 0;
        while (System.nanoTime() < deadlineNanos) {
            try (Stream<String> lines = api.events(lastSequence)) {
                failures = 0;
                String ended = readEvents(lines.iterator(), deadlineNanos);
                if (ended != null) return ended;
            } catch (ShareApi.ApiError e) {
                if (e.status() == 404 && (chunks > 0 || metadata != null)) return "stopped (session gone)";
                if (e.status() != 429 && e.status() < 500) throw e;
                failures = awaitReconnect(failures, e);
            } catch (IOException | java.io.UncheckedIOException e) {
                failures = awaitReconnect(failures, e);
            }
        }
        return "time limit";
    }

    /** The stream failed: pause under the same {@link RetryPolicy} as every request, or give up when it says so. */
    private int awaitReconnect(int failures, Exception failure) throws IOException {
        RetryPolicy retry = api.retryPolicy();
        String target = "GET " + api.baseUrl() + "/api/share/" + api.sessionId() + "/events";
        int attempt = failures + 1;
        if (attempt >= retry.attempts()) throw retry.gaveUp(target, failure);
        if (chunks > 0 || metadata != null) {
            log.accept("Stream dropped (" + ConnectionFailure.describe(failure) + "); resuming after sequence "
                    + lastSequence);
        }
        retry.pauseAfter(attempt, target, ConnectionFailure.describe(failure));
        return attempt;
    }

    /** Reads events until {@code ended}; null when the stream closed or the time ran out first. */
    private String readEvents(Iterator<String> lines, long deadlineNanos) throws IOException {
        String event = "message";
        StringBuilder data = new StringBuilder();
        while (System.nanoTime() < deadlineNanos && lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    JsonNode payload = ShareApi.JSON.readTree(data.toString());
                    switch (event) {
                        case "metadata" -> onMetadata(payload);
                        case "audio" -> onChunk(payload);
                        case "gap" -> log.accept("Gap: sequence " + payload.path("from") + "–" + payload.path("to")
                                + " will not arrive");
                        case "ended" -> {
                            return payload.path("reason").asText("ended");
                        }
                        case "reconnect" -> {
                            return null;
                        }
                        default -> { }
                    }
                }
                event = "message";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                if (data.length() > 0) data.append('\n');
                data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
            }
        }
        return null;
    }

    private String poll(long deadlineNanos) throws IOException, InterruptedException {
        long nextMetadata = 0;
        while (System.nanoTime() < deadlineNanos) {
            long began = System.nanoTime();
            try {
                if (began >= nextMetadata) {
                    JsonNode current = api.metadata();
                    if (current != null) onMetadata(current);
                    nextMetadata = began + 500_000_000L;
                }
                JsonNode batch = api.audioSince(lastSequence);
                for (JsonNode chunk : batch) onChunk(chunk);
                if (batch.isEmpty() && !api.status().path("isActive").asBoolean(true)) return "stopped";
            } catch (ShareApi.ApiError e) {
                if (e.status() == 404 && (chunks > 0 || metadata != null)) return "stopped (session gone)";
                throw e;
            }
            long wait = pollMillis - (System.nanoTime() - began) / 1_000_000;
            if (wait > 0) Thread.sleep(wait);
        }
        return "time limit";
    }

    private void onChunk(JsonNode chunk) throws IOException {
        long sequence = chunk.path("sequenceNumber").asLong();
        if (sequence <= lastSequence) {
            duplicates++;
            return;
        }
        if (sequence > lastSequence + 1) gaps.add(new long[] {lastSequence + 1, sequence - 1});
        lastSequence = sequence;
        byte[] data = Base64.getDecoder().decode(chunk.path("data").asText());
        int channels = Math.max(1, chunk.path("channels").asInt(2));
        int sampleRate = chunk.path("sampleRate").asInt(44100);
        if (out != null) {
            if (wav == null) wav = new WavFile.Writer(out, sampleRate, channels);
            if (wav.sampleRate() != sampleRate || wav.channels() != channels) {
                log.accept("Format changed to " + sampleRate + " Hz " + channels + " ch; the WAV keeps the first");
            }
            wav.writeRaw(data);
        }
        chunks++;
        long stamped = chunk.path("timestamp").asLong(0);
        // The buffer sent on joining was stamped before this listener existed: its age is not lateness.
        if (stamped >= joinedAtMillis) delays.add(System.currentTimeMillis() - stamped);
        audioBytes += data.length;
        frames += data.length / 4 / channels;
        seconds += (double) data.length / 4 / channels / sampleRate;
        if (printLyrics) printDueLyric(chunk.path("timestamp").asLong(0));
    }

    private void onMetadata(JsonNode current) {
        metadataUpdates++;
        String key = current.path("title").asText("") + "\u0000" + current.path("artist").asText("");
        if (!key.equals(trackKey)) {
            trackKey = key;
            log.accept("♪ " + current.path("title").asText("Unknown") + " — " + current.path("artist").asText(""));
        }
        JsonNode previous = metadata;
        metadata = current;
        if (previous == null || !previous.path("lyrics").equals(current.path("lyrics"))) {
            lyrics = current.path("hasSyncedLyrics").asBoolean(false)
                    ? LrcLyrics.parse(current.path("lyrics").asText(null)) : LrcLyrics.parse(null);
            lyricLine = -1;
        }
    }

    /** The song position at a chunk, on the sender's clock: the metadata's position plus the time since it. */
    private void printDueLyric(long chunkTimestamp) {
        if (metadata == null || lyrics.lines().isEmpty() || chunkTimestamp == 0) return;
        double position = metadata.path("elapsedSeconds").asDouble()
                + (chunkTimestamp - metadata.path("timestamp").asLong(chunkTimestamp)) / 1000.0;
        int line = lyrics.lineAt(position);
        // A group sharing one time (an original and its translation) is printed whole.
        if (line != lyricLine) lyrics.groupAt(position).ifPresent(group -> lyrics.texts(group)
                .forEach(text -> log.accept("  " + text)));
        lyricLine = line;
    }
}
