package dev.musicshare.cli;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.musicshare.MusicShareServer;
import dev.musicshare.client.Listener;
import dev.musicshare.client.ShareApi;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.ConsoleCapture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The command line as a newcomer meets it: errors in one line that names what and why, no stack traces. */
class ClientCommandsTest {
    private static final String TOKEN = "cli-test-token";
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private MusicShareServer server;

    @TempDir
    Path folder;

    @AfterEach
    void stopServer() {
        if (server != null) server.close();
    }

    @Test
    void share_without_a_server_counts_down_its_retries_then_names_the_url_and_the_cause() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();
        assertThat(Main.run("share", "--url", url, "--token", TOKEN, "--session", "123456", "--seconds", "1",
                "--retries", "1")).isEqualTo(2);
        assertThat(console.stderr()).contains("Cannot reach POST " + url + "/api/share/start: connection refused (is the "
                + "server running?); retrying in 1 s (attempt 2 of 2)")
                .contains("music-share share: cannot reach POST " + url + "/api/share/start: connection refused (is the"
                        + " server running?) (gave up after 2 attempts over 1 s)")
                .doesNotContain("\tat ");
        assertThat(console.stdout()).doesNotContain("Listen at");
    }

    @Test
    void listen_by_push_and_by_polling_follow_the_same_retry_policy() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();
        assertThat(Main.run("listen", url, "123456", "--token", TOKEN, "--retries", "1")).isEqualTo(2);
        assertThat(console.stderr()).contains("retrying in 1 s (attempt 2 of 2)")
                .contains("music-share listen: cannot reach GET " + url + "/api/share/123456/events: connection "
                        + "refused (is the server running?) (gave up after 2 attempts over 1 s)");
        console.clear();
        assertThat(Main.run("listen", url, "123456", "--token", TOKEN, "--retries", "1", "--poll")).isEqualTo(2);
        assertThat(console.stderr()).contains("retrying in 1 s (attempt 2 of 2)")
                .contains("music-share listen: cannot reach GET " + url + "/api/share/123456/metadata: connection "
                        + "refused (is the server running?) (gave up after 2 attempts over 1 s)");
    }

    @Test
    void a_port_in_use_is_one_line_naming_the_address_the_port_and_the_cause_and_flags_work_without_serve()
            throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            // The one line is all: no log line of a server that never listened ("failed to start", "stopped").
            ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                    .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            var logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
            logged.start();
            root.addAppender(logged);
            // Nor is anything made first: the port is checked before the history database is opened.
            Path historyDir = Path.of("target", "port-in-use-history-" + System.nanoTime());
            try {
                assertThat(Main.run("--port", "" + port, "--bind-address", "127.0.0.1", "--history-dir",
                        historyDir.toString())).isEqualTo(2);
            } finally {
                root.detachAppender(logged);
            }
            assertThat(console.stderr().strip()).isEqualTo("music-share: cannot listen on 127.0.0.1:" + port
                    + ": Address already in use (another process has this port: stop it or choose another PORT)");
            assertThat(logged.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .isEmpty();
            assertThat(historyDir).doesNotExist();
        }
    }

    @Test
    void an_address_of_another_machine_is_reported_as_such_not_as_a_port_in_use() {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
        assertThat(Main.run("serve", "--port", "0", "--bind-address", "192.0.2.1")).isEqualTo(2);
        assertThat(console.stderr().strip()).startsWith("music-share: cannot listen on 192.0.2.1:0: ")
                .contains("BIND_ADDRESS must be an address of this machine").doesNotContain("already in use");
    }

    @Test
    void a_missing_file_is_named_by_its_option_and_full_path() {
        assertThat(Main.run("share", "--token", TOKEN, "--lyrics", "no-such-song.lrc")).isEqualTo(2);
        assertThat(console.stderr().strip()).isEqualTo("music-share share: --lyrics file not found: "
                + Path.of("no-such-song.lrc").toAbsolutePath());
        console.clear();
        assertThat(Main.run("share", "--token", TOKEN, "--wav", "gone/song.wav")).isEqualTo(2);
        assertThat(console.stderr().strip()).isEqualTo("music-share share: --wav file not found: "
                + Path.of("gone/song.wav").toAbsolutePath());
    }

    @Test
    void bench_refuses_a_wrong_or_missing_token_in_one_line() {
        String url = startServer();
        assertThat(Main.run("bench", "--url", url, "--token", "wrong", "--scenario", "ingest", "--seconds", "1"))
                .isEqualTo(2);
        assertThat(console.stderr().strip()).isEqualTo("music-share bench: " + url + " refused the token (HTTP 401): pass "
                + "the server's BEARER_TOKEN with --token");
        if (System.getenv("BEARER_TOKEN") == null) {
            console.clear();
            assertThat(Main.run("bench", "--url", url, "--scenario", "ingest")).isEqualTo(2);
            assertThat(console.stderr().strip()).isEqualTo("music-share bench: --token or BEARER_TOKEN is required");
        }
    }

    @Test
    void every_option_of_every_command_is_described() {
        CommandLine main = Main.commandLine();
        for (CommandLine command : main.getSubcommands().values()) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                assertThat(String.join(" ", option.description())).as(command.getCommandName() + " "
                        + option.longestName()).isNotBlank();
            }
            command.getCommandSpec().positionalParameters().forEach(parameter -> assertThat(String.join(" ",
                    parameter.description())).as(command.getCommandName() + " " + parameter.paramLabel()).isNotBlank());
        }
    }

    @Test
    void share_seconds_sends_exactly_that_much_audio_and_invites_listeners_once_started() throws IOException {
        String url = startServer();
        Path lyrics = folder.resolve("bom.lrc");
        Files.writeString(lyrics, "\uFEFF[00:01.00]A\n[00:02.00]B", StandardCharsets.UTF_8);
        assertThat(Main.run("share", "--url", url, "--token", TOKEN, "--session", "123456", "--seconds", "1",
                "--lyrics", lyrics.toString(), "--keep")).isZero();
        String printed = console.stdout();
        assertThat(printed).contains("Sent 10 chunks (1.0 s of audio, " + 44_100 * 2 * 4 + " bytes)");
        assertThat(printed.indexOf("Listen at " + url + "/listen/123456#token=lt_123456_")).isGreaterThan(
                printed.indexOf("Sharing session 123456"));
        assertThat(printed).doesNotContain(TOKEN);
        String sentLyrics = new ApiClient(server.port(), TOKEN).get("/api/share/123456/metadata").json()
                .get("lyrics").asText();
        assertThat(sentLyrics).isEqualTo("[00:01.00]A\n[00:02.00]B");
    }

    @Test
    void listen_in_opus_prints_the_playlist_url_and_the_bytes_received_per_second_and_writes_a_48_khz_wav()
            throws Exception {
        String url = startServer();
        ApiClient api = sessionWithChunks("646464", 10, 4_410);
        api.postEmpty("/api/share/646464/stop");
        Path wav = folder.resolve("opus.wav");
        assertThat(Main.run("listen", url, "646464", "--token", TOKEN, "--codec", "opus", "--out", wav.toString(),
                "--seconds", "30")).isZero();
        String printed = console.stdout();
        assertThat(printed).contains("Media players (VLC, mpv, a browser) can open " + url
                + "/api/share/646464/stream.m3u?access_token=<token>").doesNotContain(TOKEN);
        assertThat(printed).contains("Received 10 chunks (1.0 s, ").contains(" of Opus packets)")
                .containsPattern("Bytes received: \\d+, \\d+ per second of audio");
        try (dev.musicshare.client.AudioSource decoded = dev.musicshare.client.WavFile.open(wav)) {
            assertThat(decoded.sampleRate()).isEqualTo(48_000);
            assertThat(decoded.durationSeconds()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.021));
        }
        assertThat(Main.run("listen", url, "646464", "--token", TOKEN, "--codec", "mp3")).isEqualTo(2);
        assertThat(console.stderr()).contains("--codec must be pcm or opus, was mp3");
    }

    @Test
    void the_buffer_sent_on_joining_is_not_counted_as_late() throws Exception {
        String url = startServer();
        // Stamped long before the listener joins (as any buffer is, by up to its 5 s): backlog, not lateness.
        ApiClient api = sessionWithChunks("654321", 5, 441);
        api.postEmpty("/api/share/654321/stop");
        Listener.Report report = new Listener(new ShareApi(url, TOKEN, "654321"), Listener.Mode.POLL, 100, null,
                false, line -> { }).run(System.nanoTime() + 20_000_000_000L);
        assertThat(report.chunks()).isEqualTo(5);
        assertThat(report.lateChunks()).isZero();
        assertThat(report.maxDelayMillis()).isZero();
    }

    @Test
    void listen_to_the_stream_ends_at_its_time_limit_even_while_the_stream_sends_nothing() {
        // The sender paused after half a second, and this server waits a minute before it sends silence.
        String url = startServer(Map.of("STREAM_SILENCE_AFTER_MS", "60000"));
        ApiClient api = sessionWithChunks("656565", 5, 4_410);
        long started = System.nanoTime();
        int exit = assertTimeoutPreemptively(Duration.ofSeconds(15),
                () -> Main.run("listen", url, "656565", "--token", TOKEN, "--stream", "--seconds", "2"));
        assertThat(exit).isZero();
        assertThat((System.nanoTime() - started) / 1e9).as("seconds listened").isLessThan(5);
        assertThat(console.stdout()).contains("Ended: time limit");
    }

    @Test
    void a_listener_joining_a_session_older_than_the_buffer_has_missed_nothing() {
        String url = startServer(Map.of("AUDIO_BUFFER_CHUNKS", "5"));
        ApiClient api = sessionWithChunks("676767", 12, 4_410);
        api.postEmpty("/api/share/676767/stop");
        assertThat(Main.run("listen", url, "676767", "--token", TOKEN, "--seconds", "20")).isZero();
        assertThat(console.stdout()).contains("Received 5 chunks").contains("missed 0,").doesNotContain("missed sequence");
    }

    private String startServer() {
        return startServer(Map.of());
    }

    private String startServer(Map<String, String> extra) {
        Map<String, String> environment = new java.util.HashMap<>(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1",
                "BEARER_TOKEN", TOKEN));
        environment.putAll(extra);
        server = MusicShareServer.start(Settings.from(environment), Clock.systemUTC());
        return "http://127.0.0.1:" + server.port();
    }

    /** Starts session {@code id} on the server and posts {@code chunks} chunks of {@code frames} stereo frames. */
    private ApiClient sessionWithChunks(String id, int chunks, int frames) {
        ApiClient api = new ApiClient(server.port(), TOKEN);
        assertThat(api.postJson("/api/share/start", "{\"sessionId\":\"" + id + "\"}").status()).isEqualTo(200);
        for (int sequence = 0; sequence < chunks; sequence++) {
            assertThat(api.postJson("/api/share/" + id + "/audio", chunkJson(sequence, frames)).status()).isEqualTo(200);
        }
        return api;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }


}
