package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.Ffmpeg;
import dev.musicshare.testing.PacedToneSender;
import dev.musicshare.testing.RecordingListing;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A session recorded end to end: a tone shared in real time under two titles, with a one-second pause by the sender
 * in the second, gives two Ogg Opus files that ffprobe reads as Opus with the right tags and lengths, lyrics files
 * on each file's own clock, byte-exact ranges, and removal.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis", "sentinel", "cluster"})
class RecordingApiTest extends ApiTestBase {
    static final String ID = "616161";

    Path folder;

    @Override
    Map<String, String> extraEnvironment() {
        folder = Path.of("target", "test-recordings", storeKind + "-" + System.nanoTime());
        // The live stream's silence for stalled senders stays out of the way of a loaded machine's slow requests.
        return Map.of("MAX_AUDIO_BODY_BYTES", "1048576", "RECORDING", "requested", "RECORDINGS_DIR",
                folder.toString(), "STREAM_SILENCE_AFTER_MS", "10000");
    }

    @BeforeEach
    void needsFfmpeg() {
        Ffmpeg.require();
    }

    @Test
    void a_shared_tone_with_a_title_change_and_a_pause_gives_one_opus_file_per_track_as_long_as_it_was_shared()
            throws IOException {
        Reply started = expect(200, api.postJson("/api/share/start", "{\"sessionId\":\"" + ID + "\",\"record\":true}"));
        assertThat(started.json().get("recording").asBoolean()).isTrue();
        Sender sender = new Sender();
        sender.metadata("First", "Band", 0, "[00:00.50]Line A1\\n[00:01.50]Line A2");
        sender.tone(2.0);
        // The second track was already 10 s in when the sender switched to it: its lyrics move 10 s earlier.
        sender.metadata("Second", "Band", 10.0, "[00:09.00]Line B0\\n[00:10.80]Line B1\\n[00:12.00]Line B2");
        sender.tone(1.0);
        sender.pause(1.0);
        sender.tone(1.0);
        expect(200, api.postEmpty("/api/share/" + ID + "/stop"));

        List<JsonNode> recordings = RecordingListing.awaitOldestFirst(api, 2);
        JsonNode first = recordings.get(0);
        JsonNode second = recordings.get(1);
        assertThat(first.get("title").asText()).isEqualTo("First");
        assertThat(second.get("title").asText()).isEqualTo("Second");
        assertThat(first.get("sessionId").asText()).isEqualTo(ID);
        assertThat(first.get("id").asText()).matches(ID + "-[0-9]{14}-01");
        assertThat(second.get("id").asText()).matches(ID + "-[0-9]{14}-02");

        double[] shared = {2.0, 3.0}; // the pause counts: the file plays in step with the session
        JsonNode[] tracks = {first, second};
        for (int i = 0; i < 2; i++) {
            Reply file = expect(200, api.get(tracks[i].get("downloadUrl").asText()));
            assertThat(file.contentType()).startsWith("audio/ogg");
            assertThat((long) file.body().length).isEqualTo(tracks[i].get("bytes").asLong());
            JsonNode probe = Ffmpeg.probeJson(file.body());
            assertThat(probe.at("/streams/0/codec_name").asText()).isEqualTo("opus");
            assertThat(probe.at("/streams/0/tags/title").asText()).isEqualTo(i == 0 ? "First" : "Second");
            assertThat(probe.at("/streams/0/tags/artist").asText()).isEqualTo("Band");
            // ffprobe 5.1 gives the granule span, pre-skip included (RFC 7845 section 4.2 says a player drops it).
            double playable = probe.at("/format/duration").asDouble() - preSkip(file.body()) / 48_000.0;
            assertThat(playable).as("ffprobe duration less pre-skip, track %d", i + 1).isCloseTo(shared[i], within(0.1));
            assertThat(Ffmpeg.decode(file.body(), 1).length / 48_000.0).as("decoded length, track %d", i + 1)
                    .isCloseTo(shared[i], within(0.1));
            assertThat(tracks[i].get("durationSeconds").asDouble()).isCloseTo(shared[i], within(0.1));
        }
        // The pause is silence in the file, and the tone goes on after it.
        float[] decoded = Ffmpeg.decode(expect(200, api.get(second.get("downloadUrl").asText())).body(), 2);
        assertThat(rms(decoded, 1.3, 1.8)).as("the pause").isLessThan(0.01);
        assertThat(rms(decoded, 2.3, 2.8)).as("after the pause").isGreaterThan(0.1);

        assertThat(firstTimedLine(expect(200, api.get(first.get("lyricsUrl").asText())).text()))
                .isEqualTo("[00:00.50]Line A1");
        String lyricsB = expect(200, api.get(second.get("lyricsUrl").asText())).text();
        assertThat(lyricsB).contains("[ti:Second]", "[ar:Band]");
        assertThat(firstTimedLine(lyricsB)).isEqualTo("[00:00.00]Line B0");
        // The second file starts 26.5 ms before its first chunk, with the end of the first track: the frame that holds
        // the chunk's first sample begins 20 ms earlier (the resampler holds a few samples back, so a whole frame was
        // still pending), and a file starting mid-stream also holds the encoder's 6.5 ms look-ahead. Its lines are
        // that much later (RecordingLyricsAlignmentTest hears where a line's words are in such a file).
        assertThat(lyricsB).contains("[00:00.83]Line B1", "[00:02.03]Line B2");
    }

    @Test
    void a_download_honours_range_and_delete_removes_the_recording() {
        expect(200, api.postJson("/api/share/start", "{\"sessionId\":\"" + ID + "\",\"record\":true}"));
        Sender sender = new Sender();
        sender.metadata("Only", "Band", 0, null);
        sender.tone(1.0);
        expect(200, api.postEmpty("/api/share/" + ID + "/stop"));
        JsonNode recording = await().atMost(Duration.ofSeconds(20))
                .until(() -> api.get("/api/recordings?sessionId=" + ID).json(), body -> body.get("total").asInt() == 1)
                .get("recordings").get(0);
        String url = recording.get("downloadUrl").asText();
        byte[] whole = expect(200, api.get(url)).body();

        Reply part = expect(206, api.get(url, "Range", "bytes=100-1099"));
        assertThat(part.header("Content-Range")).isEqualTo("bytes 100-1099/" + whole.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole, 100, 1100));
        Reply tail = expect(206, api.get(url, "Range", "bytes=" + (whole.length - 10) + "-"));
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 10, whole.length));
        Reply beyond = expect(416, api.get(url, "Range", "bytes=999999999-")); // README, openapi.json: 416
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */" + whole.length);
        assertThat(beyond.json().get("code").asText()).isEqualTo("RANGE_NOT_SATISFIABLE");
        expect(200, api.get(url, "Range", "bytes=500-100")); // invalid, so ignored (RFC 9110 section 14.2)
        // HEAD answers what GET would, without the body: download managers and players probe with it.
        Reply head = expect(200, api.head(url));
        assertThat(head.contentType()).isEqualTo("audio/ogg; codecs=opus");
        assertThat(head.header("Content-Length")).isEqualTo("" + whole.length);
        assertThat(head.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(head.body()).isEmpty();
        assertThat(expect(206, api.head(url, "Range", "bytes=100-1099")).header("Content-Length")).isEqualTo("1000");
        String missing = url.substring(0, url.length() - 2) + "99";
        assertThat(expect(404, api.head(missing)).contentType()).startsWith("application/json");
        expect(404, api.head(url + "/lyrics"));
        expect(400, api.head("/api/recordings/bogus"));
        assertThat(expect(200, api.head("/api/recordings")).contentType()).startsWith("application/json");
        expect(404, api.head("/api/admin/sessions/999999"));
        expect(400, api.head("/api/admin/sessions/abc"));
        assertThat(expect(200, api.head("/api/admin/sessions")).contentType()).startsWith("application/json");
        assertThat(expect(200, api.head("/api/admin/stats")).contentType()).startsWith("application/json");
        expect(404, api.get(url + "/lyrics")); // no synced lyrics were sent
        expect(401, api.withAuthorization(null).get(url));
        expect(400, api.get("/api/recordings/..%2Fsecret"));

        expect(204, api.delete(url));
        expect(404, api.get(url));
        expect(404, api.delete(url));
        assertThat(api.get("/api/recordings").json().get("total").asInt()).isZero();
    }

    @Test
    void a_session_that_did_not_ask_is_not_recorded_under_requested() {
        Reply started = expect(200, start(ID));
        assertThat(started.json().get("recording").asBoolean()).isFalse();
        new Sender().tone(0.5);
        expect(200, api.postEmpty("/api/share/" + ID + "/stop"));
        expect(400, api.postJson("/api/share/start", "{\"sessionId\":\"616162\",\"record\":\"yes\"}"));
        assertThat(api.get("/api/recordings").json().get("total").asInt()).isZero();
        assertThat(folder.resolve("nothing")).doesNotExist();
    }

    /** OpusHead's pre-skip (RFC 7845 section 5.1: little-endian, at offset 10 of the first packet). */
    static int preSkip(byte[] ogg) {
        int at = new String(ogg, 0, Math.min(ogg.length, 200), java.nio.charset.StandardCharsets.ISO_8859_1)
                .indexOf("OpusHead");
        assertThat(at).isPositive();
        return (ogg[at + 10] & 0xFF) | (ogg[at + 11] & 0xFF) << 8;
    }

    static String firstTimedLine(String lrc) {
        return lrc.lines().filter(line -> line.matches("\\[\\d\\d:.*")).findFirst().orElseThrow();
    }

    /** Root mean square of the decoded interleaved stereo between two playback times. */
    private static double rms(float[] stereo, double fromSeconds, double toSeconds) {
        int from = (int) (fromSeconds * 48_000) * 2;
        int to = Math.min(stereo.length, (int) (toSeconds * 48_000) * 2);
        double sum = 0;
        for (int i = from; i < to; i++) sum += stereo[i] * stereo[i];
        return Math.sqrt(sum / Math.max(1, to - from));
    }

    /**
     * A sender on its own clock: 1 s chunks of a 440 Hz tone stamped with their capture time, each posted when the
     * wall clock reaches that time, as a live sender does. Neither ahead of real time (a sender seconds ahead that
     * pauses only spends its lead: the session's timeline pulls an early chunk back in, and the pause is gone) nor
     * behind it: a 1 s chunk leaves a slow request 0.9 s before it counts as late (SessionTimeline.LATE_LIMIT_MICROS)
     * and moves the session's timeline, and the recording with it.
     */
    private class Sender extends PacedToneSender {
        void metadata(String title, String artist, double elapsed, String lyrics) {
            String lrc = lyrics == null ? "null" : "\"" + lyrics + "\"";
            expect(200, api.postJson("/api/share/" + ID + "/metadata", "{\"title\":\"" + title + "\",\"artist\":\""
                    + artist + "\",\"lyrics\":" + lrc + ",\"hasSyncedLyrics\":" + (lyrics != null)
                    + ",\"elapsedSeconds\":" + elapsed + ",\"timestamp\":" + senderClock() + "}"));
        }

        @Override
        protected void postChunk(long sequence, String json) {
            expect(200, api.postJson("/api/share/" + ID + "/audio", json));
        }
    }
}
