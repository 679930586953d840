package dev.musicshare.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.AudioSamples;
import dev.musicshare.testing.ConsoleCapture;
import dev.musicshare.testing.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code music-share recordings list|get} against a real server over real sockets: the list as a table and as the
 * server's JSON, a download byte-identical to the API's with its lyrics beside it, and errors in one line.
 */
class RecordingsCommandTest {
    private static final String TOKEN = "recordings-cli-token";
    private static final String ID = "727272";
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private MusicShareServer server;
    private ApiClient api;
    private String url;
    private JsonNode recording;

    @TempDir
    Path folder;

    @BeforeEach
    void recordOneTrack() {
        server = MusicShareServer.start(Settings.from(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN",
                TOKEN, "RECORDING", "always", "RECORDINGS_DIR", folder.resolve("recordings").toString(), "HISTORY",
                "off", "MAX_AUDIO_BODY_BYTES", "1048576")), Clock.systemUTC());
        api = new ApiClient(server.port(), TOKEN);
        url = "http://127.0.0.1:" + server.port();
        assertThat(api.postJson("/api/share/start", "{\"sessionId\":\"" + ID + "\"}").status()).isEqualTo(200);
        assertThat(api.postJson("/api/share/" + ID + "/metadata", "{\"title\":\"Song\",\"artist\":\"Band\","
                + "\"lyrics\":\"[00:00.20]First line\",\"hasSyncedLyrics\":true,\"elapsedSeconds\":0}").status())
                .isEqualTo(200);
        float[] stereo = new float[44_100 * 2];
        float[] mono = Signals.sine(44_100, 440, 44_100, 0.5);
        for (int f = 0; f < mono.length; f++) stereo[2 * f] = stereo[2 * f + 1] = mono[f];
        assertThat(api.postJson("/api/share/" + ID + "/audio", AudioSamples.chunkJson(0,
                Signals.base64(stereo, 0, stereo.length), 44_100, 2)).status()).isEqualTo(200);
        assertThat(api.postEmpty("/api/share/" + ID + "/stop").status()).isEqualTo(200);
        recording = await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/recordings").json(),
                body -> body.get("total").asInt() == 1).get("recordings").get(0);
        console.clear(); // what the commands print, not the server's start-up
    }

    @AfterEach
    void stopServer() {
        if (server != null) server.close();
    }

    @Test
    void list_prints_one_line_per_recording_and_json_on_request() throws IOException {
        String id = recording.get("id").asText();
        assertThat(Main.run("recordings", "list", "--url", url, "--token", TOKEN)).isZero();
        String[] lines = console.stdout().strip().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("ID").contains("STARTED (UTC)", "LENGTH", "SIZE", "ARTIST - TITLE");
        assertThat(lines[1]).startsWith(id).contains("0:01", "Band - Song");

        console.clear();
        assertThat(Main.run("recordings", "list", "--url", url, "--token", TOKEN, "--json")).isZero();
        JsonNode json = new ObjectMapper().readTree(console.stdout());
        assertThat(json.get("total").asInt()).isEqualTo(1);
        assertThat(json.at("/recordings/0/id").asText()).isEqualTo(id);

        console.clear();
        assertThat(Main.run("recordings", "list", "--url", url, "--token", TOKEN, "--session", "999999")).isZero();
        assertThat(console.stdout().strip()).isEqualTo("no recordings");
    }

    @Test
    void get_saves_the_file_as_served_and_its_lyrics_beside_it() throws IOException {
        String id = recording.get("id").asText();
        Path target = folder.resolve("saved.opus");
        assertThat(Main.run("recordings", "get", id, "--url", url, "--token", TOKEN, "--out", target.toString(),
                "--lyrics")).isZero();
        assertThat(Files.readAllBytes(target)).isEqualTo(api.get("/api/recordings/" + id).body());
        Path lyrics = folder.resolve("saved.lrc");
        assertThat(Files.readString(lyrics)).contains("[00:00.20]First line");
        assertThat(console.stdout()).contains("saved " + target + " (" + Files.size(target) + " bytes)", "saved " + lyrics);
        assertThat(folder.resolve("saved.opus.part")).doesNotExist();
    }

    @Test
    void errors_are_one_line_naming_what_went_wrong() throws IOException {
        assertThat(Main.run("recordings", "get", "../etc/passwd", "--url", url, "--token", TOKEN)).isEqualTo(2);
        assertThat(console.stderr()).contains("music-share recordings get: a recording id looks like 123456-20261129100000-01, was "
                + "\"../etc/passwd\"");
        console.clear();
        assertThat(Main.run("recordings", "get", ID + "-20200101000000-01", "--url", url, "--token", TOKEN,
                "--out", folder.resolve("none.opus").toString())).isEqualTo(2);
        assertThat(console.stderr()).contains("answered 404").doesNotContain("\tat ");
        assertThat(folder.resolve("none.opus")).doesNotExist();
        console.clear();
        Path nowhere = folder.resolve("missing").resolve("x.opus");
        String id = recording.get("id").asText();
        assertThat(Main.run("recordings", "get", id, "--url", url, "--token", TOKEN, "--out", nowhere.toString()))
                .isEqualTo(2);
        assertThat(console.stderr()).contains("music-share recordings get: cannot save " + nowhere + ": the folder "
                + nowhere.getParent() + " does not exist").doesNotContain("\tat ");
        console.clear();
        assertThat(Main.run("recordings", "list", "--url", url, "--token", "wrong-token")).isEqualTo(2);
        assertThat(console.stderr()).contains(url + "/api/recordings answered 401").doesNotContain("\tat ");
    }


}
