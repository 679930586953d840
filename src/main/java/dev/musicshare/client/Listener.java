package dev.musicshare.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.reception.SequenceTally;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * Listens to one session by push ({@link PushReceiver}) or by polling ({@link PollReceiver}), as the desktop
 * receiver does, and accounts for every sequence number ({@link SequenceTally}): received, missed (a gap), or seen
 * twice. Says what plays ({@link NowPlayingPrinter}) and can save the audio ({@link WavRecorder}).
 */
public final class Listener implements Reception {
    /** Push (SSE, PCM or Opus), polling (PCM), or the Ogg Opus stream media players get. */
    public enum Mode { PUSH, POLL, STREAM }

    /** A chunk that arrives this long after the sender stamped it is reported as late. */
    public static final long LATE_MILLIS = 2_000;
    private static final int BYTES_PER_SAMPLE = 4; // float32

    /**
     * What was heard. {@code gaps} are inclusive ranges of sequence numbers never received since the first one that
     * was (what came before it was before this listener joined: a late join is not a miss); the delays are those of
     * chunks the sender stamped after this listener joined (the backlog sent on joining is older by design).
     */
    public record Report(long chunks, long frames, double seconds, long audioBytes, List<long[]> gaps, long duplicates,
            long metadataUpdates, String endedBecause, long medianDelayMillis, long maxDelayMillis, long lateChunks,
            long bytesReceived) {
        public long missed() {
            return gaps.stream().mapToLong(gap -> gap[1] - gap[0] + 1).sum();
        }

        /** Bytes read from the network (events or stream, headers aside) per second of audio received. */
        public long bytesPerSecond() {
            return seconds > 0 ? Math.round(bytesReceived / seconds) : 0;
        }
    }

    private final ShareApi api;
    private final Mode mode;
    private final String codec;
    private final int pollMillis;
    private final Path out;
    private final Consumer<String> log;
    private final NowPlayingPrinter nowPlaying;
    private final SequenceTally tally = new SequenceTally();
    private final List<Long> delays = new ArrayList<>();
    private final ByteCounter received = new ByteCounter();
    private WavRecorder wav;
    private OpusAudio opus;
    private long chunks;
    private long frames;
    private double seconds;
    private long audioBytes;
    private long metadataUpdates;
    private long joinedAtMillis;

    public Listener(ShareApi api, Mode mode, int pollMillis, Path out, boolean printLyrics, Consumer<String> log) {
        this(api, mode, "pcm", pollMillis, out, printLyrics, log);
    }

    /** @param codec for {@link Mode#PUSH}: "pcm" (the chunks as sent) or "opus" (decoded here with Concentus) */
    public Listener(ShareApi api, Mode mode, String codec, int pollMillis, Path out, boolean printLyrics,
            Consumer<String> log) {
        this.api = api;
        this.mode = mode;
        this.codec = codec;
        this.pollMillis = pollMillis;
        this.out = out;
        this.log = log;
        this.nowPlaying = new NowPlayingPrinter(log, printLyrics);
    }

    /** Listens until the session ends or {@code deadlineNanos} (System.nanoTime) passes. */
    public Report run(long deadlineNanos) throws IOException, InterruptedException {
        joinedAtMillis = System.currentTimeMillis();
        try (WavRecorder recorder = out == null ? null : new WavRecorder(out, log)) {
            wav = recorder;
            opus = new OpusAudio(recorder);
            String ended = switch (mode) {
                case PUSH -> new PushReceiver(api, this, log, codec).run(deadlineNanos);
                case POLL -> new PollReceiver(api, this, pollMillis).run(deadlineNanos);
                case STREAM -> new StreamReceiver(api, opus, received).run(deadlineNanos);
            };
            if (mode == Mode.STREAM) {
                frames = opus.samples();
                seconds = opus.seconds();
                audioBytes = opus.packetBytes();
            }
            long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
            long median = sorted.length == 0 ? 0 : sorted[sorted.length / 2];
            long max = sorted.length == 0 ? 0 : sorted[sorted.length - 1];
            long late = java.util.Arrays.stream(sorted).filter(delay -> delay > LATE_MILLIS).count();
            return new Report(chunks, frames, seconds, audioBytes, gapsSinceJoining(),
                    tally.duplicates() + tally.outOfOrder(), metadataUpdates, ended, median, max, late,
                    received.bytes());
        }
    }

    /**
     * The tally's gaps less the one before the first chunk received: a listener that joins a session older than the
     * buffer (5 s) starts with its oldest chunk, and sequence numbers before that were sent before it joined. Only
     * that first gap starts at 0 (any later one starts after a chunk received).
     */
    private List<long[]> gapsSinceJoining() {
        return tally.gaps().stream().filter(gap -> gap[0] != 0).toList();
    }

    @Override
    public void onMetadata(JsonNode metadata) {
        metadataUpdates++;
        nowPlaying.metadata(metadata);
    }

    @Override
    public void onChunk(JsonNode chunk) throws IOException {
        if ("opus".equals(chunk.path("codec").asText())) {
            onOpusChunk(chunk);
            return;
        }
        if (!tally.receive(chunk.path("sequenceNumber").asLong())) return; // already had it
        byte[] samples = Base64.getDecoder().decode(chunk.path("data").asText());
        int channels = Math.max(1, chunk.path("channels").asInt(2));
        int sampleRate = chunk.path("sampleRate").asInt(44100);
        if (wav != null) wav.write(samples, sampleRate, channels);
        chunks++;
        long stamped = chunk.path("timestamp").asLong(0);
        // The buffer sent on joining was stamped before this listener existed: its age is not lateness.
        if (stamped >= joinedAtMillis) delays.add(System.currentTimeMillis() - stamped);
        audioBytes += samples.length;
        long chunkFrames = samples.length / BYTES_PER_SAMPLE / channels;
        frames += chunkFrames;
        seconds += (double) chunkFrames / sampleRate;
        nowPlaying.audioAt(stamped);
    }

    /** A push event with {@code codec=opus}: the frames of one chunk (or the stream's last frames), decoded. */
    private void onOpusChunk(JsonNode event) throws IOException {
        boolean last = event.path("last").asBoolean();
        if (!last && !tally.receive(event.path("sequenceNumber").asLong())) return;
        long samplesBefore = opus.samples();
        long bytesBefore = opus.packetBytes();
        opus.onEvent(event);
        if (!last) chunks++;
        long decoded = opus.samples() - samplesBefore;
        frames += decoded;
        seconds += (double) decoded / OpusPcmDecoder.SAMPLE_RATE;
        audioBytes += opus.packetBytes() - bytesBefore;
        if (last) return;
        long stamped = event.path("timestamp").asLong(0);
        if (stamped >= joinedAtMillis) delays.add(System.currentTimeMillis() - stamped);
        nowPlaying.audioAt(stamped);
    }

    @Override
    public void onGap(long from, long to) {
        log.accept("Gap: sequence " + from + "–" + to + " will not arrive");
        opus.restart();
    }

    @Override
    public void onConnected() {
        opus.restart();
    }

    @Override
    public java.io.InputStream counted(java.io.InputStream in) {
        return received.counting(in);
    }

    @Override
    public long lastSequence() {
        return tally.highest();
    }

    @Override
    public boolean heardAnything() {
        return chunks > 0 || metadataUpdates > 0;
    }
}
