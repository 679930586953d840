package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.testing.AudioSamples;
import dev.musicshare.testing.Ffmpeg;
import dev.musicshare.testing.Signals;
import dev.musicshare.testing.StreamClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** A stream.ogg reader that cannot keep up is dropped after its bounded queue; the others are not slowed. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory"})
class StreamSlowListenerTest extends ApiTestBase {
    static final String ID = "616161";

    @Override
    Map<String, String> extraEnvironment() {
        // 510 kbps (1 s batches of ~64 kB) and a 64 kB queue: a few seconds of audio overflow a reader that
        // does not read.
        return Map.of("MAX_AUDIO_BODY_BYTES", "1048576", "OPUS_BITRATE", "510000", "STREAM_QUEUE_KB", "64",
                "STREAM_SILENCE_AFTER_MS", "10000");
    }

    @Test
    void a_reader_that_stops_reading_is_dropped_and_a_fast_one_gets_every_byte() {
        Ffmpeg.require();
        expect(200, start(ID));
        String path = "/api/share/" + ID + "/stream.ogg?access_token=" + TOKEN;
        try (StreamClient slow = StreamClient.open(server.port(), "GET", path, "1.1", 4_096).readHeadersOnly();
                StreamClient fast = StreamClient.open(server.port(), "GET", path, "1.1", 0).readAll()) {
            assertThat(slow.status()).isEqualTo(200);
            float[] noise = new float[44_100]; // white noise: Opus cannot squeeze it below the bit rate
            java.util.Random random = new java.util.Random(7);
            for (int i = 0; i < noise.length; i++) noise[i] = (random.nextFloat() - 0.5f) * 0.8f;
            for (int sequence = 0; sequence < 24; sequence++) { // 12 s of audio, posted as fast as it goes
                expect(200, api.postJson("/api/share/" + ID + "/audio", AudioSamples.chunkJson(sequence,
                        Signals.base64(noise, 0, noise.length), 44_100, 2)));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> api.withAuthorization(null).get("/metrics").text()
                    .contains("musicshare_stream_listeners_dropped_total 1.0"));
            assertThat(slow.drainAndCheckClosed()).as("the server closed the slow reader's response").isTrue();
            api.postEmpty("/api/share/" + ID + "/stop");
            await().atMost(Duration.ofSeconds(20)).until(fast::ended);

            // 12 s at 510 kbps ≈ 765 kB: the fast reader got it all, whole, to the end-of-stream page.
            assertThat(fast.bodyLength()).isGreaterThan(600_000);
            assertThat(Ffmpeg.decode(fast.body(), 2).length / 2).isBetween(12 * 48_000 - 960,
                    12 * 48_000 + 960);
        }
    }
}
