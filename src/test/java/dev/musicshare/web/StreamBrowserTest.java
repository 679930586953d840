package dev.musicshare.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.AudioSamples;
import dev.musicshare.testing.HeadlessChromium;
import dev.musicshare.testing.Signals;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A browser's {@code <audio>} element plays {@code stream.ogg} across title changes without stopping (Chromium
 * stops at a chained-Ogg boundary, which is why the default stream never chains). Headless Chromium driven by
 * {@code src/test/browser/play-stream.mjs}; a sender posts a tone in real time and changes the title twice.
 */
@Tag("browser")
class StreamBrowserTest {
    private static final String TOKEN = "stream-browser-token";
    private static final String SESSION = "808080";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private MusicShareServer server;

    @AfterEach
    void stop() {
        sending.set(false);
        if (server != null) server.close();
    }

    @Test
    void an_audio_element_keeps_playing_across_two_title_changes() throws Exception {
        HeadlessChromium.require("StreamBrowserTest");
        server = MusicShareServer.start(Settings.from(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1",
                "BEARER_TOKEN", TOKEN)), Clock.systemUTC());
        ApiClient api = new ApiClient(server.port(), TOKEN);
        assertThat(api.postJson("/api/share/start", "{\"sessionId\":\"" + SESSION + "\"}").status()).isEqualTo(200);
        api.postJson("/api/share/" + SESSION + "/metadata", "{\"title\":\"First\",\"artist\":\"Tone\"}");
        Thread sender = new Thread(() -> sendInRealTime(api), "real-time-sender");
        sender.start();

        String url = "http://127.0.0.1:" + server.port() + "/api/share/" + SESSION + "/stream.ogg?access_token=" + TOKEN;
        List<JsonNode> samples = new ArrayList<>();
        HeadlessChromium.runScript("play-stream.mjs", List.of(url, "24"), ProcessBuilder.Redirect.INHERIT,
                Duration.ofSeconds(30), (report, answers) -> {
                    assertThat(report.get("step").asText()).as(report.toString()).isEqualTo("sample");
                    samples.add(report);
                    String metadata = "/api/share/" + SESSION + "/metadata";
                    if (samples.size() == 8) api.postJson(metadata, "{\"title\":\"Second\"}");
                    if (samples.size() == 14) api.postJson(metadata, "{\"title\":\"Third\"}");
                });
        sending.set(false);
        sender.join();

        assertThat(samples).hasSize(24);
        JsonNode last = samples.get(samples.size() - 1);
        assertThat(last.get("error").isNull()).as(last.toString()).isTrue();
        assertThat(last.get("ended").asBoolean()).as(last.toString()).isFalse();
        assertThat(last.get("events").toString()).doesNotContain("error", "ended", "emptied");
        // After both changes (samples 8 and 14 of 24) the position still moves on.
        double atSecondChange = samples.get(14).get("currentTime").asDouble();
        assertThat(last.get("currentTime").asDouble()).as(samples.toString()).isGreaterThan(atSecondChange + 2.0);
        assertThat(last.get("currentTime").asDouble()).isGreaterThan(7.0);
    }

    /** Posts 100 ms chunks of a tone on the wall clock's pace. */
    private void sendInRealTime(ApiClient api) {
        float[] tone = Signals.sweep(44_100, 2, 0.1);
        long start = System.nanoTime();
        for (long sequence = 0; sending.get(); sequence++) {
            api.postJson("/api/share/" + SESSION + "/audio", AudioSamples.chunkJson(sequence,
                    Signals.base64(tone, 0, tone.length), 44_100, 2));
            long due = start + (sequence + 1) * 100_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing a sender, not waiting for a condition
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
