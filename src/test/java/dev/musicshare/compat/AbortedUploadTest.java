package dev.musicshare.compat;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.TestStores;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** On stop the desktop app aborts its in-flight POSTs, possibly half-way through a chunked body. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis"})
class AbortedUploadTest {
    @Parameter
    String storeKind;

    @Test
    void an_upload_aborted_mid_body_stores_nothing_and_the_session_carries_on() throws Exception {
        Map<String, String> env = new HashMap<>(TestStores.environment(storeKind));
        env.putAll(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN", "t"));
        try (MusicShareServer server = MusicShareServer.start(Settings.from(env), Clock.systemUTC())) {
            ApiClient api = new ApiClient(server.port(), "t");
            api.postJson("/api/share/start", "{\"sessionId\":\"135790\"}");
            byte[] body = chunkJson(0, 4410).getBytes(StandardCharsets.US_ASCII);
            for (int attempt = 0; attempt < 20; attempt++) {
                try (Socket socket = new Socket("127.0.0.1", server.port())) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /api/share/135790/audio HTTP/1.1\r\nHost: x\r\nAuthorization: t\r\n"
                            + "Content-Type: application/json; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    int half = body.length / 2;
                    out.write((Integer.toHexString(half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, 0, half);
                    out.flush();
                } // closed here, half-way through the body
            }
            // Every aborted upload has been handled (and refused) before the buffer is looked at: all 20 are counted
            // by the request metrics, and none is still being handled.
            await().atMost(Duration.ofSeconds(20)).until(() -> audioPostsHandled(api) >= 20
                    && server.requestsInFlight() == 0);
            assertThat(api.get("/api/share/135790/audio?since=-1").status()).isEqualTo(204);
            assertThat(api.postEmpty("/api/share/135790/stop").json().get("bytesTransferred").asLong()).isZero();
            assertThat(api.postJson("/api/share/start", "{\"sessionId\":\"135791\"}").status()).isEqualTo(200);
            assertThat(api.postJson("/api/share/135791/audio", chunkJson(0, 4410)).status()).isEqualTo(200);
        }
    }

    /** POSTs to the audio route answered so far, whatever their status, from the Prometheus histogram's counts. */
    private static long audioPostsHandled(ApiClient api) {
        return api.get("/metrics").text().lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count{")
                        && line.contains("method=\"POST\"") && line.contains("route=\"/api/share/{sessionId}/audio\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
