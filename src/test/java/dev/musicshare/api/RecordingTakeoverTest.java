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
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one Redis and one shared recordings folder: the node recording a session is killed (SIGKILL: its own
 * process, so nothing of it shuts down cleanly) in the middle of a track while the sender keeps posting to the other
 * node. The other node takes the recording over within the lease time, completes the dead node's half-written file
 * and continues the track in a second part; the two parts and the stretch noted as missed add up to the time the
 * track was shared, and the parts never overlap on the session's timeline. The completed part gets the {@code .lrc}
 * its recorder would have written, aligned to that part's own start.
 */
class RecordingTakeoverTest {
    private static final String TOKEN = "takeover-token-0123456789";
    private static final String ID = "717171";
    /** The lease (5 s) plus one renewal period (1.5 s): the longest a dead recorder's session waits for a taker. */
    private static final Duration TAKEOVER_LIMIT = Duration.ofMillis(5_000 + 1_500);
    /** The track is 10 s in when the session starts, so part 1's lines are 10 s earlier than the song's. */
    private static final double ELAPSED_AT_START = 10.0;
    private static final String LYRICS = "[00:10.75]First line\\n[00:12.00]Second line\\n[00:30.00]Late line";

    private RedisServer redis;
    private Path folder;
    private Process nodeA;
    private MusicShareServer nodeB;
    private ApiClient a;
    private ApiClient b;

    @BeforeEach
    void startNodes() throws Exception {
        Ffmpeg.require();
        redis = RedisServer.start();
        folder = Path.of("target", "test-recordings", "takeover-" + System.nanoTime()).toAbsolutePath();
        Map<String, String> env = new HashMap<>(Map.of("REDIS_URL", redis.url(), "BIND_ADDRESS", "127.0.0.1",
                "BEARER_TOKEN", TOKEN, "RECORDING", "always", "RECORDINGS_DIR", folder.toString(), "HISTORY", "off",
                "MAX_AUDIO_BODY_BYTES", "1048576", "STREAM_SILENCE_AFTER_MS", "10000", "REDIS_TIMEOUT_MS", "5000"));
        int portA = freePort();
        nodeA = startNodeProcess(env, portA);
        a = new ApiClient(portA, TOKEN);
        env.put("PORT", "0");
        nodeB = MusicShareServer.start(Settings.from(env), Clock.systemUTC());
        b = new ApiClient(nodeB.port(), TOKEN);
        // A JVM of its own starting on a machine at load 45 took over a minute to listen: not what this test is about.
        await().atMost(Duration.ofSeconds(180)).until(() -> {
            try {
                return a.get("/health").status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    @AfterEach
    void stopNodes() {
        if (nodeA != null) nodeA.destroyForcibly();
        if (nodeB != null) nodeB.close();
        if (redis != null) redis.close();
    }

    @Test
    void the_other_node_takes_the_recording_over_when_the_recorder_dies_mid_track() throws Exception {
        // The session starts on node A, which takes its recording lease; the sender posts everything to node B.
        assertThat(a.postJson("/api/share/start", "{\"sessionId\":\"" + ID + "\"}").json().get("recording")
                .asBoolean()).isTrue();
        assertThat(recordingsActive(a)).isEqualTo(1.0);
        assertThat(recordingsActive(b)).isZero();
        Sender sender = new Sender();
        sender.metadata("Long Song", "Band", ELAPSED_AT_START, LYRICS);
        Thread sending = new Thread(() -> sender.tone(16.0)); // in real time throughout, whatever happens to node A
        sending.start();
        // Node A hears the chunks over Redis pub/sub and writes the track's first part; its progress in Redis says
        // when it has written the first four (a cold JVM on a loaded machine may take a while for its first).
        await().atMost(Duration.ofSeconds(30)).until(() -> progressField("lastSequence") != null
                && Long.parseLong(progressField("lastSequence")) >= 3);
        assertThat(partFiles()).hasSize(1);
        assertThat(partFiles().get(0).getFileName().toString()).isEqualTo(progressField("fileId") + ".opus.part");
        assertThat(recordingsActive(b)).as("node B does not record while node A holds the lease").isZero();

        nodeA.destroyForcibly().waitFor();
        long killedAt = System.nanoTime();
        // What node A reported writing before it died (node B reports only once it has taken over, seconds later).
        double writtenByA = (Double.parseDouble(progressField("endPresentationMillis"))
                - Double.parseDouble(progressField("startPresentationMillis"))) / 1000;
        // Node B takes the lease once node A's has run out, while the sender goes on posting to it. (How soon is
        // asserted on the session's timeline below, from the missed stretch: a wall clock read here through
        // /metrics would measure the loaded machine's scrapes as much as the takeover.)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> recordingsActive(b) == 1.0);
        System.out.printf("node B recording %.1f s after node A was killed%n", (System.nanoTime() - killedAt) / 1e9);
        sending.join();
        assertThat(b.postEmpty("/api/share/" + ID + "/stop").status()).isEqualTo(200);

        List<JsonNode> recordings = RecordingListing.awaitOldestFirst(b, 2);
        JsonNode first = recordings.get(0);
        JsonNode second = recordings.get(1);
        assertThat(first.get("track").asInt()).isEqualTo(1);
        assertThat(first.get("part").asInt()).isEqualTo(1);
        assertThat(second.get("track").asInt()).isEqualTo(1);
        assertThat(second.get("part").asInt()).isEqualTo(2);
        assertThat(second.get("id").asText()).isEqualTo(first.get("id").asText() + "-2");
        assertThat(second.get("title").asText()).isEqualTo("Long Song");

        double firstSeconds = first.get("durationSeconds").asDouble();
        double secondSeconds = second.get("durationSeconds").asDouble();
        double missed = second.get("missedSecondsBefore").asDouble();
        // Part 1 is what node A reported writing before it died (its last frame, held back for the end-of-stream
        // page, died with it), completed by node B from the file node A left.
        assertThat(firstSeconds).as("part 1: node A's, up to the kill").isCloseTo(writtenByA, within(0.005));
        // Node B starts with the chunks after node A's last that the session's buffer (5 s) still holds, so the
        // stretch missed is the takeover's delay beyond the buffer: never more than the lease time and one look.
        assertThat(missed).as("the stretch nobody recorded").isGreaterThanOrEqualTo(0.0)
                .isLessThan(TAKEOVER_LIMIT.toMillis() / 1000.0);
        // Together they last as long as the track was shared, measured on the session's timeline (the chunks'
        // presentation times, 1 s apart). A loaded machine's late chunk can move the timeline (the recording
        // follows it forward, keeps what it wrote when it steps back): the sum is then off by at most as much.
        List<Double> heard = sender.presentationTimes;
        double timeline = (heard.get(heard.size() - 1) + 1000 - heard.get(0)) / 1000;
        double moved = 0;
        for (int i = 1; i < heard.size(); i++) moved += Math.abs(heard.get(i) - heard.get(i - 1) - 1000) / 1000;
        System.out.printf("part 1 %.3f s, missed %.3f s, part 2 %.3f s; timeline %.3f s (moved %.3f s)%n",
                firstSeconds, missed, secondSeconds, timeline, moved);
        // No two nodes wrote the same stretch: part 2 begins on the session's timeline where part 1 and the gap end
        // (give or take what the timeline itself moved: a step back keeps the audio already written).
        long firstStart = java.time.Instant.parse(first.get("startedAt").asText()).toEpochMilli();
        long secondStart = java.time.Instant.parse(second.get("startedAt").asText()).toEpochMilli();
        long slack = 5 + Math.round(moved * 1000);
        assertThat(secondStart - firstStart).isCloseTo(Math.round((firstSeconds + missed) * 1000), within(slack))
                .isGreaterThanOrEqualTo(Math.round(firstSeconds * 1000) - slack);
        assertThat(firstSeconds + missed + secondSeconds).as("parts and the missed stretch add up to the track")
                .isCloseTo(timeline, within(0.1 + moved));

        for (JsonNode recording : List.of(first, second)) {
            byte[] file = b.get(recording.get("downloadUrl").asText()).body();
            assertThat((long) file.length).isEqualTo(recording.get("bytes").asLong());
            JsonNode probe = Ffmpeg.probeJson(file);
            assertThat(probe.at("/streams/0/codec_name").asText()).isEqualTo("opus");
            double playable = probe.at("/format/duration").asDouble() - RecordingApiTest.preSkip(file) / 48_000.0;
            assertThat(playable).as("ffprobe duration of %s", recording.get("id").asText())
                    .isCloseTo(recording.get("durationSeconds").asDouble(), within(0.05));
            float[] decoded = Ffmpeg.decode(file, 1);
            assertThat(decoded.length / 48_000.0).isCloseTo(recording.get("durationSeconds").asDouble(), within(0.05));
            assertThat(rms(decoded, 0.5, decoded.length / 48_000.0 - 0.3)).as("the tone throughout")
                    .isGreaterThan(0.2);
        }
        assertThat(Ffmpeg.probeJson(b.get(first.get("downloadUrl").asText()).body()).at("/streams/0/tags/title")
                .asText()).isEqualTo("Long Song");
        assertThat(partFiles()).as("nothing left half written").isEmpty();

        // Part 1's lyrics, written by node B as node A would have on finishing it: aligned to part 1's own start
        // (the song 10 s in, by the song position node A reported with its progress), with the track's tags.
        assertThat(first.get("lyricsUrl").isNull()).as("part 1, completed by node B, lists its lyrics").isFalse();
        ApiClient.Reply lyricsA = b.get(first.get("lyricsUrl").asText());
        assertThat(lyricsA.status()).isEqualTo(200);
        assertThat(RecordingApiTest.firstTimedLine(lyricsA.text())).isEqualTo("[00:00.75]First line");
        assertThat(lyricsA.text()).contains("[ti:Long Song]", "[ar:Band]", "[00:02.00]Second line",
                "[00:20.00]Late line");
        // Part 2, finished by node B itself, has them from the same metadata.
        assertThat(second.get("lyricsUrl").isNull()).as("part 2 lists its lyrics").isFalse();
        assertThat(b.get(second.get("lyricsUrl").asText()).text()).contains("[ti:Long Song]", "[ar:Band]");
    }

    /** A field of the recording's progress in Redis (null when absent), as node A reports it. */
    private String progressField(String field) {
        Object keys = Resp.call(redis.port(), "KEYS", "recording:{" + ID + "}:*:progress");
        if (!(keys instanceof List<?> found) || found.isEmpty()) return null;
        return (String) Resp.call(redis.port(), "HGET", (String) found.get(0), field);
    }

    private List<Path> partFiles() throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".part")).toList();
        }
    }

    private static double recordingsActive(ApiClient node) {
        for (String line : node.get("/metrics").text().split("\n")) {
            if (line.startsWith("musicshare_recordings_active ")) return Double.parseDouble(line.split(" ")[1]);
        }
        throw new AssertionError("no musicshare_recordings_active in /metrics");
    }

    /** Root mean square of decoded mono between two playback times. */
    private static double rms(float[] mono, double fromSeconds, double toSeconds) {
        int from = (int) (fromSeconds * 48_000);
        int to = Math.min(mono.length, (int) (toSeconds * 48_000));
        double sum = 0;
        for (int i = from; i < to; i++) sum += mono[i] * mono[i];
        return Math.sqrt(sum / Math.max(1, to - from));
    }

    /** Node A: the server in a process of its own, from the test's classpath, so it can be killed outright. */
    private static Process startNodeProcess(Map<String, String> env, int port) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, "dev.musicshare.cli.Main",
                "serve");
        builder.environment().putAll(env);
        builder.environment().put("PORT", String.valueOf(port));
        Path log = Path.of("target", "test-artifacts", "recording-takeover-node-a.log");
        Files.createDirectories(log.getParent());
        return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A sender on its own clock posting to node B: one-second chunks of a 440 Hz tone, each at its capture time. */
    private class Sender extends PacedToneSender {
        /** Each chunk's presentation time as the server placed it on the session's timeline, epoch ms. */
        final List<Double> presentationTimes = new java.util.concurrent.CopyOnWriteArrayList<>();

        void metadata(String title, String artist, double elapsedSeconds, String lyrics) {
            assertThat(b.postJson("/api/share/" + ID + "/metadata", "{\"title\":\"" + title + "\",\"artist\":\""
                    + artist + "\",\"lyrics\":\"" + lyrics + "\",\"hasSyncedLyrics\":true,\"elapsedSeconds\":"
                    + elapsedSeconds + ",\"timestamp\":" + senderClock() + "}").status()).isEqualTo(200);
        }

        @Override
        protected void postChunk(long sequence, String json) {
            assertThat(b.postJson("/api/share/" + ID + "/audio", json).status()).isEqualTo(200);
            JsonNode released = b.get("/api/share/" + ID + "/audio?since=" + (sequence - 1)).json();
            presentationTimes.add(released.get(0).get("presentationTime").asDouble());
        }
    }
}
