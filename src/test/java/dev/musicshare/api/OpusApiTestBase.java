package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.AudioSamples;
import dev.musicshare.testing.Ffmpeg;
import dev.musicshare.testing.Signals;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * A server that encodes a session's audio to Opus ({@code stream.ogg}, Opus push) with one session started to share
 * a known signal through, and ffmpeg to decode what comes back: these tests need ffmpeg.
 */
abstract class OpusApiTestBase extends ApiTestBase {
    static final int RATE = 44_100;

    /** The session each test shares through, started before it. */
    abstract String sessionId();

    @Override
    Map<String, String> extraEnvironment() {
        // Silence only after 10 s: a loaded machine posting slower than real time must not put silence between chunks.
        return Map.of("MAX_AUDIO_BODY_BYTES", "1048576", "AUDIO_BUFFER_CHUNKS", "50", "STREAM_SILENCE_AFTER_MS", "10000");
    }

    @BeforeEach
    void needsFfmpegAndASession() {
        Ffmpeg.require();
        expect(200, start(sessionId()));
    }

    void postSignal(float[] source, int channels, int frames, boolean swapped) {
        postSignal(api, sessionId(), source, channels, frames, swapped);
    }

    /** Posts {@code source} in chunks of {@code frames}; {@code swapped}: each pair in reverse (the desktop app's order). */
    static void postSignal(ApiClient api, String id, float[] source, int channels, int frames, boolean swapped) {
        List<String> bodies = new ArrayList<>();
        int total = source.length / channels;
        for (int from = 0, sequence = 0; from < total; from += frames, sequence++) {
            int to = Math.min(from + frames, total);
            bodies.add(AudioSamples.chunkJson(sequence, Signals.base64(source, from * channels, to * channels), RATE,
                    channels));
        }
        for (int i = 0; i < bodies.size(); i++) {
            int index = swapped ? (i % 2 == 0 ? Math.min(i + 1, bodies.size() - 1) : i - 1) : i;
            if (swapped && i % 2 == 0 && i + 1 >= bodies.size()) index = i;
            expect(200, api.postJson("/api/share/" + id + "/audio", bodies.get(index)));
        }
    }

    static void assertDecodesTo(byte[] ogg, float[] source, int channels) {
        float[] decoded = Ffmpeg.decode(ogg, channels);
        float[] reference = Signals.at48k(source, RATE, channels);
        assertThat(decoded.length / channels).as("decoded length in samples per channel")
                .isBetween(reference.length / channels - 960, reference.length / channels + 960);
        int length = Math.min(decoded.length, reference.length) - 4_800 * channels;
        assertThat(Signals.correlation(decoded, 0, reference, length)).as("correlation at lag 0")
                .isGreaterThanOrEqualTo(0.99);
    }

    static int occurrences(byte[] haystack, String needle) {
        String text = new String(haystack, StandardCharsets.ISO_8859_1);
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) count++;
        return count;
    }
}
