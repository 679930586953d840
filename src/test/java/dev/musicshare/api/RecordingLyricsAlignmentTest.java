package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.testing.AudioSamples;
import dev.musicshare.testing.Ffmpeg;
import dev.musicshare.testing.RecordingListing;
import dev.musicshare.testing.Signals;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A lyrics line is shown when its words are heard in the recorded file, also in a file that starts mid-stream: the
 * second track's file begins with its first chunk, whose first sample falls inside an Opus frame, so the file starts
 * a little before the chunk (the frame's start, and the pre-roll's look-ahead). The sender's second track is silent
 * until a tone starts exactly where its one lyrics line is; the line's time in the {@code .lrc} must be where the
 * decoded file's tone starts, to the LRC's hundredths.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory"})
class RecordingLyricsAlignmentTest extends ApiTestBase {
    static final String ID = "636363";
    private static final int RATE = 44_100;
    /** Song time of the line, and of the tone's onset, in the second track. */
    private static final double LINE_SECONDS = 0.5;
    /** The line time rounds to hundredths (5 ms); the onset is found within a millisecond. */
    private static final double TOLERANCE_SECONDS = 0.008;

    /** The sender's clock: its start plus the frames sent so far, epoch ms. */
    private long startMillis;
    private long frames;
    private long sequence;

    @Override
    Map<String, String> extraEnvironment() {
        Path folder = Path.of("target", "test-recordings", "alignment-" + System.nanoTime());
        return Map.of("MAX_AUDIO_BODY_BYTES", "1048576", "RECORDING", "requested", "RECORDINGS_DIR",
                folder.toString(), "STREAM_SILENCE_AFTER_MS", "10000");
    }

    @BeforeEach
    void needsFfmpeg() {
        Ffmpeg.require();
    }

    @Test
    void a_line_of_a_track_that_starts_mid_frame_is_timed_where_its_words_are_heard_in_the_file() {
        expect(200, api.postJson("/api/share/start", "{\"sessionId\":\"" + ID + "\",\"record\":true}"));
        startMillis = System.currentTimeMillis();
        metadata("One", 0, null);
        // 0.51 s, so the second track's first sample falls 10 ms into an Opus frame. The first track is heard (a tone
        // from 0.3 to 0.4 s): in a stream silent from its very start, the first onset was seen to decode 12 ms late.
        float[] first = new float[RATE / 2 + 441];
        System.arraycopy(Signals.sine(RATE, 440, RATE, 0.8), 0, first, (int) (0.3 * RATE), (int) (0.1 * RATE));
        send(first);
        metadata("Two", 0, "[00:00.50]Onset");
        float[] second = new float[RATE];
        float[] tone = Signals.sine(RATE, 440, RATE, 0.8);
        int onset = (int) (LINE_SECONDS * RATE);
        System.arraycopy(tone, 0, second, onset, RATE - onset);
        send(second);
        send(tone);
        expect(200, api.postEmpty("/api/share/" + ID + "/stop"));

        JsonNode two = RecordingListing.awaitOldestFirst(api, 2).get(1);
        assertThat(two.get("title").asText()).isEqualTo("Two");
        float[] decoded = Ffmpeg.decode(expect(200, api.get(two.get("downloadUrl").asText())).body(), 1);
        double heard = firstAbove(decoded, 0.2) / 48_000.0;
        String line = RecordingApiTest.firstTimedLine(expect(200, api.get(two.get("lyricsUrl").asText())).text());
        System.out.printf("tone heard at %.4f s of the file; lyrics line %s%n", heard, line);
        assertThat(heard).as("the file starts before the chunk").isBetween(LINE_SECONDS, LINE_SECONDS + 0.05);
        assertThat(line).endsWith("]Onset");
        assertThat(lrcSeconds(line)).as("the line's time against where its tone starts in the file")
                .isCloseTo(heard, within(TOLERANCE_SECONDS));
    }

    private void metadata(String title, double elapsed, String lyrics) {
        String lrc = lyrics == null ? "null" : "\"" + lyrics + "\"";
        expect(200, api.postJson("/api/share/" + ID + "/metadata", "{\"title\":\"" + title + "\",\"artist\":\"Band\","
                + "\"lyrics\":" + lrc + ",\"hasSyncedLyrics\":" + (lyrics != null) + ",\"elapsedSeconds\":" + elapsed
                + ",\"timestamp\":" + senderClock() + "}"));
    }

    /** Posts mono {@code samples} as one stereo chunk at its capture time on the sender's clock (never ahead). */
    private void send(float[] samples) {
        long wait;
        while ((wait = senderClock() - System.currentTimeMillis()) > 0) LockSupport.parkNanos(wait * 1_000_000);
        float[] stereo = new float[samples.length * 2];
        for (int i = 0; i < samples.length; i++) stereo[2 * i] = stereo[2 * i + 1] = samples[i];
        String json = AudioSamples.chunkJson(sequence++, Signals.base64(stereo, 0, stereo.length), RATE, 2)
                .replaceFirst("\"timestamp\":[0-9]+", "\"timestamp\":" + senderClock());
        expect(200, api.postJson("/api/share/" + ID + "/audio", json));
        frames += samples.length;
    }

    private long senderClock() {
        return startMillis + frames * 1000 / RATE;
    }

    private static int firstAbove(float[] mono, double level) {
        for (int i = 0; i < mono.length; i++) if (Math.abs(mono[i]) > level) return i;
        throw new AssertionError("the tone is not in the file");
    }

    /** The time of an LRC line, {@code [mm:ss.xx]text}, in seconds. */
    static double lrcSeconds(String line) {
        return Integer.parseInt(line.substring(1, 3)) * 60 + Double.parseDouble(line.substring(4, 9));
    }
}
