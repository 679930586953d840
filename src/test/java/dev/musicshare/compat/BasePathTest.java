package dev.musicshare.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The desktop app's paths are relative to a configurable base address, so the server may sit under a prefix. */
class BasePathTest {

    @Test
    void every_route_is_served_under_the_configured_base_path() {
        try (MusicShareServer server = MusicShareServer.start(Settings.from(Map.of("PORT", "0",
                "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN", "t", "BASE_PATH", "/music/")), Clock.systemUTC())) {
            ApiClient api = new ApiClient(server.port(), "t");
            assertThat(api.postJson("/music/api/share/start", "{\"sessionId\":\"123456\"}").status()).isEqualTo(200);
            assertThat(api.get("/music/api/share/123456/status").json().get("isActive").asBoolean()).isTrue();
            assertThat(api.get("/music/health").status()).isEqualTo(200);
            assertThat(api.get("/api/share/123456/status").status()).isEqualTo(404);
        }
    }
}
