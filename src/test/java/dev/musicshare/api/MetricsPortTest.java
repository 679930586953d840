package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** METRICS_PORT keeps /metrics off the API's port, so a deployment can publish one and not the other. */
class MetricsPortTest {

    @Test
    void with_a_metrics_port_the_figures_are_there_alone_and_not_on_the_api_port() throws IOException {
        int metricsPort = freePort();
        Settings settings = Settings.from(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN", "t",
                "METRICS_PORT", "" + metricsPort, "BASE_PATH", "/music"));
        try (MusicShareServer server = MusicShareServer.start(settings, Clock.systemUTC())) {
            ApiClient api = new ApiClient(server.port(), "t");
            ApiClient metrics = new ApiClient(metricsPort, "t");
            ApiClient.Reply scraped = metrics.get("/music/metrics");
            assertThat(scraped.status()).isEqualTo(200);
            assertThat(scraped.text()).contains("musicshare_sessions_active");

            ApiClient.Reply onApiPort = api.get("/music/metrics");
            assertThat(onApiPort.status()).isEqualTo(404);
            assertThat(onApiPort.json().get("code").asText()).isEqualTo("NOT_FOUND");
            assertThat(onApiPort.text()).doesNotContain("musicshare_");

            assertThat(metrics.get("/music/health").status()).isEqualTo(404);
            assertThat(metrics.postJson("/music/api/share/start", "{\"sessionId\":\"123456\"}").status())
                    .isEqualTo(404);
            assertThat(api.postJson("/music/api/share/start", "{\"sessionId\":\"123456\"}").status()).isEqualTo(200);
            assertThat(api.get("/music/health").status()).isEqualTo(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
