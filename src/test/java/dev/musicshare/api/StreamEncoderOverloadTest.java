package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.testing.Ffmpeg;
import dev.musicshare.testing.Signals;
import dev.musicshare.testing.StreamClient;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An encoder that falls behind (an overloaded node) skips chunks: the skip is counted and logged, the streams carry
 * silence of its length, and nobody is dropped. Here the encoder's queue holds one event and may not overflow twice
 * (limits a listener's connection would be dropped at), and the chunks come faster than a cold encoder encodes.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory"})
class StreamEncoderOverloadTest extends ApiTestBase {
    static final String ID = "616161";
    static final String STREAM = "/api/share/" + ID + "/stream.ogg?access_token=" + TOKEN;

    @Override
    Map<String, String> extraEnvironment() {
        return Map.of("MAX_AUDIO_BODY_BYTES", "1048576", "STREAM_SILENCE_AFTER_MS", "10000",
                "PUSH_QUEUE_EVENTS", "1", "PUSH_MAX_OVERFLOWS", "0");
    }

    @BeforeEach
    void needsFfmpegAndASession() {
        Ffmpeg.require();
        expect(200, start(ID));
    }

    @Test
    void an_encoder_that_falls_behind_skips_chunks_into_silence_and_the_stream_still_ends_cleanly() {
        float[] source = Signals.sweep(StreamOggApiTest.RATE, 2, 3.0);
        try (StreamClient player = StreamClient.open(server.port(), "GET", STREAM, "1.1", 0).readAll()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> player.bodyLength() > 0);
            StreamOggApiTest.postSignal(api, ID, source, 2, 4_410, false);
            api.postEmpty("/api/share/" + ID + "/stop");
            await().atMost(Duration.ofSeconds(60)).until(player::ended);

            assertThat(skippedChunks()).as("chunks the encoder skipped, counted").isGreaterThan(0);
            // The stream ended with its end-of-stream page (not dropped), and the skipped chunks became silence of
            // their length: the decoded stream is as long as what was sent, less at most the one chunk that the
            // one-event queue may still hold when the end arrives (dropped for a gap with nothing after it).
            byte[] ogg = player.body();
            assertThat(ogg[lastPage(ogg) + 5] & 0x04).as("end-of-stream flag on the last page").isEqualTo(0x04);
            assertThat(Ffmpeg.decode(ogg, 2).length / 2).isBetween(3 * 48_000 - 4_800 - 960, 3 * 48_000 + 960);
        }
    }

    private double skippedChunks() {
        String scrape = api.withAuthorization(null).get("/metrics").text();
        Matcher line = Pattern.compile("(?m)^musicshare_opus_encoder_skipped_chunks_total (\\S+)$").matcher(scrape);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }

    private static int lastPage(byte[] ogg) {
        int at = 0;
        int last = -1;
        while (at + 27 <= ogg.length) {
            last = at;
            int segments = ogg[at + 26] & 0xFF;
            int length = 27 + segments;
            for (int i = 0; i < segments; i++) length += ogg[at + 27 + i] & 0xFF;
            at += length;
        }
        return last;
    }
}
