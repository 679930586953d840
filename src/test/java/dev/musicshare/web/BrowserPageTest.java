package dev.musicshare.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.musicshare.MusicShareServer;
import dev.musicshare.client.ShareApi;
import dev.musicshare.client.Sharer;
import dev.musicshare.client.ToneSource;
import dev.musicshare.config.Settings;
import dev.musicshare.lyrics.LrcLyrics;
import dev.musicshare.testing.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The listener page in a real browser: Debian's headless Chromium, driven by playwright-core from
 * {@code src/test/browser/listen-page.mjs}, against a real server with a real sender sharing a tone with metadata,
 * cover art and LRC lyrics. The script acts and reports; the assertions are here. Screenshots land in
 * {@code target/test-artifacts/} (look at them after a page change).
 */
@Tag("browser")
class BrowserPageTest {
    private static final String TOKEN = "browser-test-token";
    private static final String SESSION = "246810";
    private static final Path ARTIFACTS = Path.of("target/test-artifacts");
    private static final Path NODE_LOG = ARTIFACTS.resolve("listen-page.stderr.log");
    /** The tone's length: the lyrics cover all of it, so however long the browser takes to start, lines change. */
    private static final int TONE_SECONDS = 120;
    /** A line every 1.5 s ("Line 0" at 0:00.00, "Line 1" at 0:01.50, …), so several change while the test listens. */
    private static final int LYRIC_TIMES = TONE_SECONDS * 2 / 3;
    /** Every third time (1, 4, 7, …) also has a translation, which must be highlighted with its line. */
    private static final int TRANSLATED = (LYRIC_TIMES + 1) / 3;
    private static final String LYRICS = lyrics();
    /** lyrics-view.js's LYRIC_LOOKAHEAD_SECONDS. */
    private static final double LYRIC_LOOKAHEAD_SECONDS = 0.008;
    private static final ObjectMapper JSON = new ObjectMapper();

    private MusicShareServer server;
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private CompletableFuture<Sharer.Result> sender;

    @BeforeEach
    void startServerAndSender() throws IOException {
        HeadlessChromium.require("BrowserPageTest");
        Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1",
                "BEARER_TOKEN", TOKEN));
        server = MusicShareServer.start(Settings.from(env), Clock.systemUTC());
        byte[] cover = Files.readAllBytes(Path.of("src/test/resources/cover.png"));
        Sharer sharer = new Sharer(new ShareApi(baseUrl(), TOKEN, SESSION), new ToneSource(440, 44100, 2, TONE_SECONDS),
                new Sharer.Track("Browser Tone", "The Test Suite", LYRICS, cover), 100, 250, line -> { });
        sender = CompletableFuture.supplyAsync(() -> {
            try {
                return sharer.run(sending::get, true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterEach
    void stop() {
        sending.set(false);
        if (server != null) server.close();
    }

    @Test
    void a_listener_joins_hears_the_tone_follows_the_lyrics_and_sees_the_end() throws Exception {
        Files.createDirectories(ARTIFACTS);
        CompletableFuture<JsonNode> afterLatePage = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger stoppedWith = new java.util.concurrent.atomic.AtomicInteger(-1);
        HeadlessChromium.ScriptRun run = HeadlessChromium.runScript("listen-page.mjs", List.of(baseUrl(), TOKEN,
                SESSION, ARTIFACTS.toAbsolutePath().toString()), ProcessBuilder.Redirect.to(NODE_LOG.toFile()),
                Duration.ofSeconds(30), (step, answers) -> {
                    if (step.get("step").asText().equals("stop-now")) {
                        sending.set(false);
                        Sharer.Result sent = sender.get(10, TimeUnit.SECONDS);
                        assertThat(sent.stopAnswer().get("success").asBoolean()).isTrue();
                        stoppedWith.set(sessionStatus().get("listenerCount").asInt());
                        answers.send("stopped");
                    } else if (step.get("step").asText().equals("late-ended")) {
                        afterLatePage.complete(sessionStatus());
                        answers.send("checked");
                    }
                });
        Map<String, JsonNode> steps = run.steps();
        assertThat(steps).as("the script failed: %s\n%s", steps.get("failed"), Files.readString(NODE_LOG))
                .doesNotContainKey("failed");
        assertThat(run.exitValue()).as(Files.readString(NODE_LOG)).isZero();

        assertThat(steps.get("joined").get("url").asText()).as("the join page carries the codec asked for")
                .endsWith("/listen/" + SESSION + "?codec=pcm");

        JsonNode ready = steps.get("ready");
        assertThat(ready.get("title").asText()).isEqualTo("Browser Tone");
        assertThat(ready.get("artist").asText()).isEqualTo("The Test Suite");
        assertThat(ready.get("coverWidth").asInt()).isEqualTo(16); // the PNG, fetched and decoded
        assertThat(ready.get("listeners").asText()).matches("[1-9]\\d* listening");
        assertThat(ready.get("lyricLines").asInt()).isEqualTo(LYRIC_TIMES + TRANSLATED);

        assertPlaysAndFollowsTheLyrics(steps.get("playing"));
        assertThat(steps.get("phone").get("scrollWidth").asInt()).as("no sideways scrolling on a phone")
                .isLessThanOrEqualTo(390);

        JsonNode ended = steps.get("ended");
        assertThat(ended.get("state").asText()).isEqualTo("ended");
        assertThat(ended.get("notice").asText()).contains("Session ended");
        assertThat(ended.get("listenDisabled").asBoolean()).isTrue();
        assertThat(ended.get("tokenFormShown").asBoolean()).as("a token form after a normal end").isFalse();
        // what was played stays readable after the end (closing the player must not wipe it)
        JsonNode lastPlaying = steps.get("playing").get("samples").get(steps.get("playing").get("samples").size() - 1);
        JsonNode endedStatus = ended.get("status");
        assertThat(endedStatus.get("chunksPlayed").asInt()).as(endedStatus.toString())
                .isGreaterThanOrEqualTo(lastPlaying.get("chunksPlayed").asInt());
        assertThat(endedStatus.get("lastSequence").asLong()).isGreaterThan(lastPlaying.get("currentSequence").asLong());
        assertThat(endedStatus.get("currentSequence").asLong()).as("the last chunk heard")
                .isGreaterThan(lastPlaying.get("currentSequence").asLong())
                .isLessThanOrEqualTo(endedStatus.get("lastSequence").asLong());

        // The page that was open at the end and one opened in the grace period both name who listened, in the past;
        // the late one (named "Latecomer", never pressed Listen) neither counted nor named itself.
        JsonNode late = steps.get("late-ended");
        assertThat(late.get("firstPageListeners").asText()).matches("[1-9]\\d* listened");
        assertThat(late.get("state").asText()).isEqualTo("ended");
        assertThat(late.get("notice").asText()).contains("Session ended");
        assertThat(late.get("listeners").asText()).matches("[1-9]\\d* listened")
                .isEqualTo(late.get("firstPageListeners").asText());
        JsonNode statusAfter = afterLatePage.get(0, TimeUnit.SECONDS);
        assertThat(statusAfter.get("isActive").asBoolean()).isFalse();
        assertThat(statusAfter.get("listenerNames")).extracting(JsonNode::asText).doesNotContain("Latecomer");
        assertThat(statusAfter.get("listenerCount").asInt()).as("opening the page after the end is not listening")
                .isLessThanOrEqualTo(stoppedWith.get());

        JsonNode ends = steps.get("done").get("ends");
        assertThat(ends.get("unknown").get("state").asText()).isEqualTo("not-found");
        assertThat(ends.get("unknown").get("notice").asText()).contains("999999");
        assertThat(ends.get("wrongToken").get("state").asText()).isEqualTo("denied");
        assertThat(ends.get("wrongToken").get("tokenFormShown").asBoolean()).isTrue();
        assertThat(ends.get("malformed").get("state").asText()).isEqualTo("invalid");
        assertThat(steps.get("done").get("errors")).as("script or console errors").isEmpty();
    }

    /**
     * Audio is scheduled and played, and the highlighted line is the one due at the position being heard. The sender
     * stamps chunk n with the moment its first frame plays (n × 100 ms after its start) and its metadata on the same
     * clock, so the heard position must be within a chunk of {@code currentSequence × 0.1 s}.
     */
    private static void assertPlaysAndFollowsTheLyrics(JsonNode playing) {
        assertThat(playing.get("pressed").asText()).isEqualTo("true");
        JsonNode samples = playing.get("samples");
        JsonNode last = samples.get(samples.size() - 1);
        assertThat(last.get("listening").asBoolean()).isTrue();
        assertThat(last.get("chunksScheduled").asInt()).isGreaterThanOrEqualTo(50);
        assertThat(last.get("chunksPlayed").asInt()).isGreaterThanOrEqualTo(40);
        assertThat(last.get("underruns").asInt()).as("underruns while a local sender sends in real time")
                .isLessThanOrEqualTo(2);
        assertThat(last.get("currentSequence").asLong()).isGreaterThan(samples.get(0).get("currentSequence").asLong());

        LrcLyrics lyrics = LrcLyrics.parse(LYRICS);
        java.util.List<Integer> linesSeen = new java.util.ArrayList<>();
        int checked = 0;
        int groupsSeen = 0;
        for (JsonNode sample : samples) {
            long sequence = sample.get("currentSequence").asLong();
            if (sequence < 0 || !sample.get("state").asText().equals("playing")) continue; // between two chunks
            double position = sample.get("position").asDouble();
            assertThat(position).as("heard position vs the chunk being heard").isCloseTo(sequence * 0.1 + 0.05,
                    within(0.12));
            // lyrics-view.js highlights the line of position + LYRIC_LOOKAHEAD_SECONDS (half a 60 Hz frame, shown at
            // the next paint), so a sample just before a line's start already shows that line.
            LrcLyrics.Group group = lyrics.groupAt(position + LYRIC_LOOKAHEAD_SECONDS).orElseThrow();
            int expected = group.first();
            assertThat(sample.get("lyricLine").asInt()).as("line at %.2f s", position).isEqualTo(expected);
            List<String> highlighted = new ArrayList<>();
            sample.get("highlighted").forEach(text -> highlighted.add(text.asText()));
            assertThat(highlighted).as("lines highlighted at %.2f s", position).isEqualTo(lyrics.texts(group));
            if (lyrics.texts(group).size() > 1) groupsSeen++;
            if (linesSeen.isEmpty() || linesSeen.get(linesSeen.size() - 1) != expected) linesSeen.add(expected);
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(30);
        assertThat(groupsSeen).as("samples with a line and its translation highlighted together").isPositive();
        assertThat(linesSeen).as("the highlight moves forward line by line").hasSizeGreaterThanOrEqualTo(4)
                .isSorted();
    }

    private static String lyrics() {
        StringBuilder lrc = new StringBuilder("[ar:Test]\n");
        for (int line = 0; line < LYRIC_TIMES; line++) {
            int tenths = line * 15;
            String time = String.format("[%02d:%02d.%d0]", tenths / 600, tenths / 10 % 60, tenths % 10);
            lrc.append(time).append("Line ").append(line).append('\n');
            if (line % 3 == 1) lrc.append(time).append("Translation ").append(line).append('\n');
        }
        return lrc.toString();
    }

    /** The session's status as the sender sees it (the shared token, no listener id: asking is not listening). */
    private JsonNode sessionStatus() throws IOException, InterruptedException {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/api/share/" + SESSION
                + "/status")).header("Authorization", "Bearer " + TOKEN).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }
}
