package dev.musicshare.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.Ffmpeg;
import dev.musicshare.testing.Signals;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference sender shares a sweep; the reference listener takes it back as Opus, by push ({@code --codec opus})
 * and from {@code stream.ogg} ({@code --stream}), decodes it with Concentus and writes WAVs that must line up with
 * the source, at a fraction of PCM's bytes.
 */
class OpusListenRoundTripTest {
    private static final String TOKEN = "opus-round-trip-token";
    private static final int RATE = 44_100;

    @TempDir
    Path dir;
    private MusicShareServer server;

    @AfterEach
    void stopServer() {
        if (server != null) server.close();
    }

    @Test
    void a_sweep_comes_back_from_opus_push_and_from_the_ogg_stream_as_the_source() throws Exception {
        Ffmpeg.require(); // not used to decode here, but the Opus tests share the same prerequisites
        server = MusicShareServer.start(Settings.from(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN",
                TOKEN, "STREAM_SILENCE_AFTER_MS", "10000")), Clock.systemUTC());
        String url = "http://127.0.0.1:" + server.port();
        float[] source = Signals.sweep(RATE, 2, 2.0);
        Path wav = dir.resolve("sweep.wav");
        writeFloatWav(wav, source);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Path pushed = dir.resolve("pushed.wav");
        Path streamed = dir.resolve("streamed.wav");
        List<CompletableFuture<Listener.Report>> listeners = new ArrayList<>();
        ShareApi sender = new ShareApi(url, TOKEN, "383838");
        try (AudioSource file = WavFile.open(wav)) {
            // Once the session exists both listeners connect; the sender waits for them, so they hear it all.
            new Sharer(sender, file, new Sharer.Track("Sweep", "Tests", null, null), 100, 0, line -> { })
                    .onStarted(() -> {
                        listeners.add(listen(url, Listener.Mode.PUSH, pushed, deadline));
                        listeners.add(listen(url, Listener.Mode.STREAM, streamed, deadline));
                        Awaitility.await().atMost(Duration.ofSeconds(20))
                                .until(() -> sender.status().path("listenerCount").asInt() >= 2);
                    })
                    .run(() -> true, true);
        }

        Listener.Report byPush = listeners.get(0).get(60, TimeUnit.SECONDS);
        Listener.Report byStream = listeners.get(1).get(60, TimeUnit.SECONDS);
        assertThat(byPush.gaps()).isEmpty();
        assertThat(byPush.chunks()).isEqualTo(20);
        assertThat(byPush.endedBecause()).startsWith("stopped");
        assertThat(byStream.endedBecause()).startsWith("stopped");
        float[] reference = Signals.at48k(source, RATE, 2);
        for (Path received : new Path[] {pushed, streamed}) {
            try (AudioSource decoded = WavFile.open(received)) {
                assertThat(decoded.sampleRate()).isEqualTo(48_000);
                assertThat(decoded.channels()).isEqualTo(2);
                float[] samples = new float[reference.length + 48_000 * 2];
                int frames = decoded.read(samples, samples.length / 2);
                assertThat(frames).as(received + ": length in samples per channel")
                        .isBetween(reference.length / 2 - 960, reference.length / 2 + 960);
                int length = Math.min(frames * 2, reference.length) - 4_800 * 2;
                assertThat(Signals.correlation(samples, 0, reference, length)).as(received + ": correlation")
                        .isGreaterThanOrEqualTo(0.99);
            }
        }
        // PCM push of 44.1 kHz stereo float is ~470 kB per second of audio (more as base64 JSON).
        assertThat(byPush.bytesPerSecond()).as("Opus push, bytes per second of audio").isBetween(10_000L, 30_000L);
        assertThat(byStream.bytesPerSecond()).as("stream.ogg, bytes per second of audio").isBetween(10_000L, 30_000L);
    }

    private static CompletableFuture<Listener.Report> listen(String url, Listener.Mode mode, Path out, long deadline) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new Listener(new ShareApi(url, TOKEN, "383838"), mode, "opus", 200, out, false, line -> { })
                        .run(deadline);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void writeFloatWav(Path file, float[] samples) throws Exception {
        ByteBuffer data = ByteBuffer.allocate(samples.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float sample : samples) data.putFloat(sample);
        try (OutputStream out = Files.newOutputStream(file)) {
            WavFile.write(out, WavFile.FLOAT, 32, RATE, 2, data.array());
        }
    }
}
