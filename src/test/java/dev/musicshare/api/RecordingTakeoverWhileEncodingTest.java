package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.Ffmpeg;
import dev.musicshare.testing.PacedToneSender;
import dev.musicshare.testing.RecordingListing;
import dev.musicshare.testing.RedisServer;
import dev.musicshare.testing.Resp;
import dev.musicshare.testing.StreamClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A recording taken over by a node that already encodes the session for its own stream.ogg listener: the recorder
 * joins that running encoder rather than starting one, and its part still gets the track's lyrics (aligned to the
 * part's own start), tags and cover from the session's metadata, without waiting for the sender's next update.
 * Node A hands the recording over by shutting down (its lease given up at once), which keeps the test short: the
 * part node B writes is made the same way whether node A stopped or died ({@link RecordingTakeoverTest}).
 */
class RecordingTakeoverWhileEncodingTest {
    private static final String TOKEN = "takeover-token-0123456789";
    private static final String ID = "727272";
    /** The track is 10 s in when the session starts: chunk k (1 s each) starts 10 + k s into the song. */
    private static final double ELAPSED_AT_START = 10.0;
    private static final String LYRICS = "[00:10.75]First line\\n[00:30.00]Late line";
    /** A 1×1 PNG, the cover the sender shares. */
    private static final String COVER = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0g"
            + "AAAABJRU5ErkJggg==";

    private RedisServer redis;
    private MusicShareServer nodeA;
    private MusicShareServer nodeB;
    private ApiClient a;
    private ApiClient b;

    @BeforeEach
    void startNodes() {
        Ffmpeg.require();
        redis = RedisServer.start();
        Path folder = Path.of("target", "test-recordings", "takeover-encoding-" + System.nanoTime()).toAbsolutePath();
        Map<String, String> env = new HashMap<>(Map.of("REDIS_URL", redis.url(), "BIND_ADDRESS", "127.0.0.1",
                "BEARER_TOKEN", TOKEN, "RECORDING", "always", "RECORDINGS_DIR", folder.toString(), "HISTORY", "off",
                "MAX_AUDIO_BODY_BYTES", "1048576", "STREAM_SILENCE_AFTER_MS", "10000", "PORT", "0"));
        nodeA = MusicShareServer.start(Settings.from(env), Clock.systemUTC());
        nodeB = MusicShareServer.start(Settings.from(env), Clock.systemUTC());
        a = new ApiClient(nodeA.port(), TOKEN);
        b = new ApiClient(nodeB.port(), TOKEN);
    }

    @AfterEach
    void stopNodes() {
        if (nodeA != null) nodeA.close();
        if (nodeB != null) nodeB.close();
        if (redis != null) redis.close();
    }

    @Test
    void a_part_recorded_on_a_node_already_encoding_the_session_gets_its_lyrics_tags_and_cover() throws Exception {
        // Node A records (it took the lease at start); node B encodes the session for a stream.ogg listener of its own.
        assertThat(a.postJson("/api/share/start", "{\"sessionId\":\"" + ID + "\"}").json().get("recording")
                .asBoolean()).isTrue();
        Sender sender = new Sender();
        sender.metadata();
        try (StreamClient player = StreamClient.open(nodeB.port(), "GET", "/api/share/" + ID
                + "/stream.ogg?access_token=" + TOKEN, "1.1", 0).readAll()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> player.bodyLength() > 0);
            Thread sending = new Thread(() -> sender.tone(6.0));
            sending.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> progressField("lastSequence") != null
                    && Long.parseLong(progressField("lastSequence")) >= 1);

            // Node A shuts down: it finishes part 1 and gives the lease up; node B takes it at its next look.
            nodeA.close();
            nodeA = null;
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> recordingsActive(b) == 1.0);
            sending.join();
            assertThat(b.postEmpty("/api/share/" + ID + "/stop").status()).isEqualTo(200);
        }

        List<JsonNode> recordings = RecordingListing.awaitOldestFirst(b, 2);
        JsonNode first = recordings.get(0);
        JsonNode second = recordings.get(1);
        assertThat(second.get("part").asInt()).isEqualTo(2);
        assertThat(RecordingApiTest.firstTimedLine(b.get(first.get("lyricsUrl").asText()).text()))
                .as("part 1, node A's own").isEqualTo("[00:00.75]First line");

        // Part 2's first chunk k (1 s chunks) is 10 + k s into the song on the sender's clock. The file begins a
        // little before that chunk's first sample (its first frame holds the end of the chunk before), so each line
        // is that much later than its song time less 10 + k.
        long secondStart = Instant.parse(second.get("startedAt").asText()).toEpochMilli();
        int k = sender.firstChunkFrom(secondStart);
        double lead = (sender.presentationTimes.get(k) - secondStart) / 1000;
        assertThat(k).as("part 2's first chunk").isPositive();
        assertThat(lead).as("how far part 2 starts before its first chunk, s").isBetween(0.0, 0.025);
        assertThat(second.get("lyricsUrl").isNull()).as("part 2 lists its lyrics").isFalse();
        String lyrics = b.get(second.get("lyricsUrl").asText()).text();
        assertThat(RecordingApiTest.firstTimedLine(lyrics)).as("the line current at part 2's start")
                .isEqualTo("[00:00.00]First line");
        assertThat(lyrics).contains("[ti:Long Song]", "[ar:Band]");
        String late = lyrics.lines().filter(line -> line.endsWith("]Late line")).findFirst().orElseThrow();
        assertThat(RecordingLyricsAlignmentTest.lrcSeconds(late)).as(late)
                .isCloseTo(30 - (ELAPSED_AT_START + k) + lead, within(0.007));

        byte[] file = b.get(second.get("downloadUrl").asText()).body();
        JsonNode probe = Ffmpeg.probeJson(file);
        assertThat(probe.at("/streams/0/codec_name").asText()).isEqualTo("opus");
        assertThat(probe.at("/streams/0/tags/title").asText()).isEqualTo("Long Song");
        assertThat(probe.at("/streams/0/tags/artist").asText()).isEqualTo("Band");
        // Vorbis comment names are case-insensitive; the writer spells them in lower case.
        assertThat(new String(file, 0, Math.min(file.length, 4096), StandardCharsets.ISO_8859_1).toUpperCase()
                .contains("METADATA_BLOCK_PICTURE=")).as("part 2 carries the cover").isTrue();
    }

    /** A field of the recording's progress in Redis (null when absent). */
    private String progressField(String field) {
        Object keys = Resp.call(redis.port(), "KEYS", "recording:{" + ID + "}:*:progress");
        if (!(keys instanceof List<?> found) || found.isEmpty()) return null;
        return (String) Resp.call(redis.port(), "HGET", (String) found.get(0), field);
    }

    private static double recordingsActive(ApiClient node) {
        for (String line : node.get("/metrics").text().split("\n")) {
            if (line.startsWith("musicshare_recordings_active ")) return Double.parseDouble(line.split(" ")[1]);
        }
        throw new AssertionError("no musicshare_recordings_active in /metrics");
    }

    /** A sender on its own clock posting to node B: one-second chunks of a tone, each at its capture time. */
    private class Sender extends PacedToneSender {
        /** Each chunk's presentation time on the session's timeline, epoch ms, by sequence number. */
        final List<Double> presentationTimes = new CopyOnWriteArrayList<>();

        void metadata() {
            assertThat(b.postJson("/api/share/" + ID + "/metadata", "{\"title\":\"Long Song\",\"artist\":\"Band\","
                    + "\"lyrics\":\"" + LYRICS + "\",\"hasSyncedLyrics\":true,\"elapsedSeconds\":" + ELAPSED_AT_START
                    + ",\"thumbnailData\":\"" + COVER + "\",\"timestamp\":" + senderClock() + "}").status())
                    .isEqualTo(200);
        }

        /** The sequence number of the first chunk presented at or after {@code epochMillis}. */
        int firstChunkFrom(long epochMillis) {
            for (int i = 0; i < presentationTimes.size(); i++) if (presentationTimes.get(i) >= epochMillis) return i;
            throw new AssertionError("no chunk presented from " + epochMillis + ": " + presentationTimes);
        }

        @Override
        protected void postChunk(long sequence, String json) {
            assertThat(b.postJson("/api/share/" + ID + "/audio", json).status()).isEqualTo(200);
            JsonNode released = b.get("/api/share/" + ID + "/audio?since=" + (sequence - 1)).json();
            presentationTimes.add(released.get(0).get("presentationTime").asDouble());
        }
    }
}
