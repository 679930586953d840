package dev.musicshare.web;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The admin page in Debian's headless Chromium ({@code src/test/browser/admin-page.mjs}): a session is played with
 * one listener, then three, then none, sampled every second; the page's chart must show exactly the samples the
 * history API holds, its track list the two tracks, and each track's recording link downloads the recording.
 * Screenshot: {@code target/test-artifacts/admin-history.png}.
 */
@Tag("browser")
class AdminPageTest {
    private static final String TOKEN = "admin-page-token";
    private static final String SESSION = "135790";
    private static final Path ARTIFACTS = Path.of("target/test-artifacts");
    private static final ObjectMapper JSON = new ObjectMapper();

    private MusicShareServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void the_chart_shows_the_sampled_listener_counts_and_the_tracks_are_listed() throws Exception {
        HeadlessChromium.require("AdminPageTest");
        Path history = Files.createTempDirectory(Path.of("target"), "admin-history-");
        server = MusicShareServer.start(Settings.from(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1",
                "BEARER_TOKEN", TOKEN, "HISTORY_DIR", history.toString(), "HISTORY_SAMPLE_SECONDS", "1",
                "LISTENER_WINDOW_SECONDS", "2", "RECORDING", "always", "RECORDINGS_DIR",
                history.resolve("recordings").toString())), Clock.systemUTC());
        ApiClient api = new ApiClient(server.port(), TOKEN);
        assertThat(api.postJson("/api/share/start", "{\"sessionId\":\"" + SESSION + "\"}").status()).isEqualTo(200);
        api.postJson("/api/share/" + SESSION + "/metadata", "{\"title\":\"Opening Tune\",\"artist\":\"Quartet\"}");
        for (int sequence = 0; sequence < 20; sequence++) {
            api.postJson("/api/share/" + SESSION + "/audio", chunkJson(sequence, 441));
        }
        api.postJson("/api/share/" + SESSION + "/metadata", "{\"title\":\"Closing Tune\",\"artist\":\"Quartet\"}");
        for (int sequence = 20; sequence < 30; sequence++) {
            api.postJson("/api/share/" + SESSION + "/audio", chunkJson(sequence, 441));
        }
        awaitSampleWhileListening(api, List.of("one"), 1);
        awaitSampleWhileListening(api, List.of("one", "two", "three"), 3);
        awaitSampleWhileListening(api, List.of(), 0); // the listeners' 2 s window runs out
        api.postEmpty("/api/share/" + SESSION + "/stop");
        JsonNode record = await().atMost(Duration.ofSeconds(20)).until(() -> detail(api),
                detail -> detail != null && "stopped".equals(detail.path("endReason").asText(null)));
        List<Integer> sampled = new ArrayList<>();
        record.get("listenerSeries").forEach(sample -> sampled.add(sample.get("listeners").asInt()));

        await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/recordings?sessionId=" + SESSION).json()
                .get("total").asInt() == 2); // both tracks' files are finished before the page asks for them
        Files.createDirectories(ARTIFACTS);
        HeadlessChromium.ScriptRun run = HeadlessChromium.runScript("admin-page.mjs", List.of("http://127.0.0.1:"
                + server.port(), TOKEN, ARTIFACTS.toAbsolutePath().toString()), ProcessBuilder.Redirect.INHERIT,
                Duration.ofSeconds(30), (step, answers) -> { });
        Map<String, JsonNode> steps = run.steps();
        assertThat(steps).as("the script failed: %s", steps.get("failed")).doesNotContainKey("failed");

        assertThat(steps.get("login").get("historyShown").asBoolean()).isFalse();
        JsonNode row = steps.get("table").get("rows").get(0);
        assertThat(row.get(1).asText()).isEqualTo(SESSION);
        assertThat(row.get(3).asText()).as("peak listeners").isEqualTo("3");
        assertThat(row.get(8).asText()).isEqualTo("stopped");

        JsonNode detail = steps.get("detail");
        assertThat(detail.get("title").asText()).contains(SESSION);
        assertThat(detail.get("chartLibrary").asText()).isEqualTo("4.4.1"); // from the WebJar, served by us
        List<Integer> charted = new ArrayList<>();
        detail.get("chartSamples").forEach(sample -> charted.add(sample.asInt()));
        assertThat(sampled).containsSubsequence(1, 3, 0);
        assertThat(charted).as("the chart's points are the sampled counts").isEqualTo(sampled);
        assertThat(detail.get("chartLabels").size()).isEqualTo(sampled.size());
        assertThat(detail.get("canvas").get("width").asInt()).isGreaterThan(300);
        JsonNode tracks = detail.get("tracks");
        assertThat(tracks.size()).isEqualTo(2);
        assertThat(tracks.get(0).get(1).asText()).isEqualTo("Opening Tune");
        assertThat(tracks.get(0).get(2).asText()).isEqualTo("Quartet");
        assertThat(tracks.get(0).get(3).asText()).isEqualTo("0.2 s");
        assertThat(tracks.get(1).get(1).asText()).isEqualTo("Closing Tune");

        // Each track links to its recording, and the link downloads exactly the file the API serves.
        JsonNode recordings = api.get("/api/recordings?sessionId=" + SESSION).json().get("recordings");
        assertThat(recordings.size()).isEqualTo(2);
        JsonNode links = steps.get("recordings").get("links");
        assertThat(links.get(0).get(0).asText()).isEqualTo("Download");
        assertThat(links.get(1).get(0).asText()).isEqualTo("Download");
        JsonNode downloads = steps.get("recordings").get("downloads");
        assertThat(downloads.size()).isEqualTo(2);
        for (JsonNode download : downloads) {
            JsonNode recording = recordings.get(2 - download.get("track").asInt()); // newest first
            assertThat(download.get("name").asText()).isEqualTo(recording.get("id").asText() + ".opus");
            assertThat(Files.readAllBytes(Path.of(download.get("saved").asText())))
                    .isEqualTo(api.get(recording.get("downloadUrl").asText()).body());
        }

        assertThat(steps.get("linked").get("url").asText()).doesNotContain("token").endsWith("/admin");
        assertThat(steps.get("linked").get("loginShown").asBoolean()).isFalse();
        assertThat(steps.get("wrong").get("status").asText()).contains("not accepted");
        assertThat(steps.get("wrong").get("tableShown").asBoolean()).isFalse();
        assertThat(steps.get("done").get("errors")).as("script, console or network errors").isEmpty();
        assertThat(run.exitValue()).isZero();
    }

    /** Polls as {@code listeners} until the newest sample in the history is {@code count}. */
    private static void awaitSampleWhileListening(ApiClient api, List<String> listeners, int count) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
            for (String listener : listeners) {
                api.get("/api/share/" + SESSION + "/metadata", "X-Listener-Id", listener);
            }
            JsonNode detail = detail(api);
            if (detail == null || detail.get("listenerSeries").isEmpty()) return false;
            JsonNode series = detail.get("listenerSeries");
            return series.get(series.size() - 1).get("listeners").asInt() == count;
        });
    }

    private static JsonNode detail(ApiClient api) {
        ApiClient.Reply page = api.get("/api/admin/sessions");
        if (page.status() != 200 || page.json().get("sessions").isEmpty()) return null;
        ApiClient.Reply detail = api.get("/api/admin/sessions/" + page.json().at("/sessions/0/id").asLong());
        return detail.status() == 200 ? detail.json() : null;
    }
}
