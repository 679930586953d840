package dev.musicshare.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.TestStores;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference sender shares a WAV file through a real server to the reference listener, by push and by polling,
 * on both stores: what the listener writes out must be the sender's samples, bit for bit, with nothing missed or
 * repeated, and the sender must pace and number its chunks as the desktop app does.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis"})
class SenderListenerRoundTripTest {
    private static final String TOKEN = "round-trip-token";
    private static final int RATE = 8000;
    private static final double SECONDS = 3.0;

    @Parameter
    String storeKind;
    @TempDir
    Path dir;

    private MusicShareServer server;

    @BeforeEach
    void startServer() {
        Map<String, String> env = new HashMap<>(TestStores.environment(storeKind));
        env.putAll(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN", TOKEN));
        server = MusicShareServer.start(Settings.from(env), Clock.systemUTC());
    }

    @AfterEach
    void stopServer() {
        if (server != null) server.close();
    }

    @Test
    void a_24_bit_wav_arrives_bit_identical_by_push_and_by_poll() throws Exception {
        Path source = dir.resolve("source.wav");
        float[] expected = writeRamp24(source);
        String url = "http://127.0.0.1:" + server.port();
        Path pushed = dir.resolve("pushed.wav");
        Path polled = dir.resolve("polled.wav");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());

        CompletableFuture<Sharer.Result> sent = CompletableFuture.supplyAsync(() -> {
            try (AudioSource wav = WavFile.open(source)) {
                Thread.sleep(300); // both listeners are waiting for the session
                return new Sharer(new ShareApi(url, TOKEN, "424242"), wav,
                        new Sharer.Track("Ramp", "Tests", "[00:00.50]Half\n[00:02.00]Two", null), 100, 250,
                        log::add).run(() -> true, true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture<Listener.Report> push = listen(url, Listener.Mode.PUSH, pushed, deadline);
        CompletableFuture<Listener.Report> poll = listen(url, Listener.Mode.POLL, polled, deadline);

        Sharer.Result result = sent.get(30, TimeUnit.SECONDS);
        int frames = (int) Math.round(SECONDS * RATE);
        assertThat(result.chunks()).as("100 ms chunks of 800 frames").isEqualTo((frames + 799) / 800);
        assertThat(result.frames()).isEqualTo(frames);
        assertThat(result.stopAnswer().get("bytesTransferred").asLong()).isEqualTo(frames * 2L * 4);
        assertThat(result.metadataPosts()).isGreaterThanOrEqualTo(12); // every 250 ms of audio, and a last one

        for (var listener : List.of(push, poll)) {
            Listener.Report report = listener.get(30, TimeUnit.SECONDS);
            assertThat(report.gaps()).isEmpty();
            assertThat(report.duplicates()).isZero();
            assertThat(report.chunks()).isEqualTo(result.chunks());
            assertThat(report.endedBecause()).startsWith("stopped");
            assertThat(report.metadataUpdates()).isPositive();
        }
        for (Path received : List.of(pushed, polled)) {
            try (AudioSource wav = WavFile.open(received)) {
                assertThat(wav.sampleRate()).isEqualTo(RATE);
                assertThat(wav.channels()).isEqualTo(2);
                float[] samples = new float[expected.length + 2];
                assertThat(wav.read(samples, frames + 1)).isEqualTo(frames);
                assertThat(java.util.Arrays.copyOf(samples, expected.length)).as(received.toString())
                        .containsExactly(expected);
            }
        }
    }

    @Test
    void the_sender_keeps_real_time_and_stamps_chunks_on_its_playback_clock() throws Exception {
        String url = "http://127.0.0.1:" + server.port();
        ShareApi api = new ShareApi(url, TOKEN, "515151");
        long began = System.nanoTime();
        Sharer.Result result = new Sharer(api, new ToneSource(440, RATE, 1, 1.0), new Sharer.Track("T", "A", null,
                null), 100, 0, line -> { }).run(() -> true, false);
        double elapsed = (System.nanoTime() - began) / 1e9;
        assertThat(result.chunks()).isEqualTo(10);
        assertThat(result.metadataPosts()).isZero();
        // Real time: a second of audio takes no less than ~0.9 s to send (the last chunk is not waited for).
        assertThat(elapsed).isGreaterThanOrEqualTo(0.85);
        var chunks = api.audioSince(-1);
        List<Long> timestamps = new ArrayList<>();
        chunks.forEach(chunk -> timestamps.add(chunk.get("timestamp").asLong()));
        for (int i = 1; i < timestamps.size(); i++) {
            assertThat(timestamps.get(i) - timestamps.get(i - 1)).as("100 ms apart on the sender's clock")
                    .isEqualTo(100);
        }
        // 800 mono frames of float32 each: 3,200 bytes, 4,268 characters of base64.
        chunks.forEach(chunk -> assertThat(chunk.get("data").asText()).hasSize(4 * ((800 * 4 + 2) / 3)));
    }

    private CompletableFuture<Listener.Report> listen(String url, Listener.Mode mode, Path out, long deadline) {
        return CompletableFuture.supplyAsync(() -> {
            ShareApi api = new ShareApi(url, TOKEN, "424242");
            try {
                // Wait for the session (the listener exits on 404 only after it has heard something).
                while (true) {
                    try {
                        api.status();
                        break;
                    } catch (ShareApi.ApiError e) {
                        Thread.sleep(50);
                    }
                }
                return new Listener(api, mode, 200, out, false, line -> { }).run(deadline);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A stereo 24-bit ramp; returns the floats the reader must produce (and the listener must write out). */
    private static float[] writeRamp24(Path file) throws Exception {
        int frames = (int) Math.round(SECONDS * RATE);
        ByteBuffer data = ByteBuffer.allocate(frames * 2 * 3).order(ByteOrder.LITTLE_ENDIAN);
        float[] expected = new float[frames * 2];
        for (int i = 0; i < frames * 2; i++) {
            int value = (i * 977 % 16_000_000) - 8_000_000;
            data.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
            expected[i] = value / 8388608f;
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            WavFile.write(out, WavFile.PCM, 24, RATE, 2, data.array());
        }
        return expected;
    }
}
