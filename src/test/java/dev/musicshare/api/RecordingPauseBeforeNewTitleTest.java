package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.testing.Ffmpeg;
import dev.musicshare.testing.PacedToneSender;
import dev.musicshare.testing.RecordingListing;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sender pause longer than {@code STREAM_SILENCE_AFTER_MS}, ended by a new title: the live stream's own silence
 * covers the pause only up to that lag behind the wall clock, and the rest must still end up in the first track's
 * file, not vanish between the two files (the breaker's D1: 3 s of a 15 s pause were lost).
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory"})
class RecordingPauseBeforeNewTitleTest extends ApiTestBase {
    static final String ID = "626262";

    @Override
    Map<String, String> extraEnvironment() {
        Path folder = Path.of("target", "test-recordings", "pause-title-" + System.nanoTime());
        // 2.5 s: the encoder's silence starts inside the pause, and leaves 1.5 s of it to the recording.
        return Map.of("MAX_AUDIO_BODY_BYTES", "1048576", "RECORDING", "always", "RECORDINGS_DIR", folder.toString(),
                "STREAM_SILENCE_AFTER_MS", "2500");
    }

    @BeforeEach
    void needsFfmpeg() {
        Ffmpeg.require();
    }

    @Test
    void the_whole_pause_before_a_title_change_is_silence_in_the_first_file() {
        expect(200, start(ID));
        Sender sender = new Sender();
        sender.metadata("First");
        sender.tone(1.0);
        sender.pause(4.0);
        sender.metadata("Second");
        sender.tone(1.0);
        expect(200, api.postEmpty("/api/share/" + ID + "/stop"));

        List<JsonNode> recordings = RecordingListing.awaitOldestFirst(api, 2);
        JsonNode first = recordings.get(0);
        JsonNode second = recordings.get(1);
        assertThat(first.get("title").asText()).isEqualTo("First");
        double sharedFirst = (millis(second.get("startedAt")) - millis(first.get("startedAt"))) / 1000.0;
        assertThat(sharedFirst).as("time the first track was shared").isCloseTo(5.0, within(0.2));
        byte[] file = expect(200, api.get(first.get("downloadUrl").asText())).body();
        assertThat(Ffmpeg.decode(file, 1).length / 48_000.0).as("first file, decoded")
                .isCloseTo(sharedFirst, within(0.1));
        assertThat(first.get("durationSeconds").asDouble()).isCloseTo(sharedFirst, within(0.1));
        assertThat(second.get("missedSecondsBefore").asDouble()).isZero();
        assertThat(second.get("durationSeconds").asDouble()).isCloseTo(1.0, within(0.1));
    }

    @Test
    void a_pause_after_a_title_change_is_silence_at_the_start_of_the_new_track() {
        expect(200, start(ID));
        Sender sender = new Sender();
        sender.metadata("First");
        sender.tone(1.0);
        sender.metadata("Second"); // the player moved on, then waited before the next song's audio
        sender.pause(2.0);
        sender.metadata("Second"); // repeated, as a player does while it waits: the change was the first one
        sender.pause(2.0);
        sender.tone(1.0);
        expect(200, api.postEmpty("/api/share/" + ID + "/stop"));

        List<JsonNode> recordings = RecordingListing.awaitOldestFirst(api, 2);
        JsonNode first = recordings.get(0);
        JsonNode second = recordings.get(1);
        double sharedFirst = (millis(second.get("startedAt")) - millis(first.get("startedAt"))) / 1000.0;
        assertThat(sharedFirst).as("time the first track was shared").isCloseTo(1.0, within(0.2));
        assertThat(first.get("durationSeconds").asDouble()).isCloseTo(sharedFirst, within(0.1));
        assertThat(second.get("durationSeconds").asDouble()).as("the pause, then the tone").isCloseTo(5.0, within(0.2));
        float[] decoded = Ffmpeg.decode(expect(200, api.get(second.get("downloadUrl").asText())).body(), 1);
        assertThat(decoded.length / 48_000.0).isCloseTo(second.get("durationSeconds").asDouble(), within(0.1));
        assertThat(rms(decoded, 0.5, 3.5)).as("the pause").isLessThan(0.01);
        assertThat(rms(decoded, 4.2, 4.8)).as("the tone after it").isGreaterThan(0.1);
    }

    @Test
    void a_pause_until_the_stop_is_silence_to_the_end_of_the_file() {
        expect(200, start(ID));
        Sender sender = new Sender();
        sender.metadata("Only");
        long sharedFrom = System.currentTimeMillis();
        sender.tone(1.0);
        sender.pause(4.0);
        sender.metadata("Only"); // waits out the pause on the sender's clock, as a player stopped after it would
        long sharedUntil = System.currentTimeMillis();
        expect(200, api.postEmpty("/api/share/" + ID + "/stop"));

        JsonNode only = RecordingListing.awaitOldestFirst(api, 1).get(0);
        double shared = (sharedUntil - sharedFrom) / 1000.0;
        assertThat(shared).isBetween(4.9, 5.5);
        assertThat(only.get("durationSeconds").asDouble()).as("shared %.3f s", shared).isCloseTo(shared, within(0.15));
    }

    private static double rms(float[] mono, double fromSeconds, double toSeconds) {
        double sum = 0;
        int from = (int) (fromSeconds * 48_000);
        int to = Math.min(mono.length, (int) (toSeconds * 48_000));
        for (int i = from; i < to; i++) sum += mono[i] * mono[i];
        return Math.sqrt(sum / Math.max(1, to - from));
    }

    private static long millis(JsonNode iso) {
        return java.time.Instant.parse(iso.asText()).toEpochMilli();
    }

    private class Sender extends PacedToneSender {
        /** Posted when the sender's clock reaches the change, as a player announces its next track. */
        void metadata(String title) {
            long wait;
            while ((wait = senderClock() - System.currentTimeMillis()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait * 1_000_000);
            }
            expect(200, api.postJson("/api/share/" + ID + "/metadata", "{\"title\":\"" + title
                    + "\",\"artist\":\"Band\",\"timestamp\":" + senderClock() + "}"));
        }

        @Override
        protected void postChunk(long sequence, String json) {
            expect(200, api.postJson("/api/share/" + ID + "/audio", json));
        }
    }
}
