package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Metrics move by exactly what traffic did; the admin view shows each session's figures, on every store shape (on a
 * cluster the live sessions are gathered from the registry, which lives in a slot of its own).
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis", "sentinel", "cluster"})
class MetricsApiTest extends ApiTestBase {

    @Test
    void counters_move_by_the_traffic_that_flowed() {
        expect(200, start("123456"));
        String before = scrape();
        for (long sequence = 0; sequence < 4; sequence++) expect(200, postChunk("123456", sequence));
        api.postJson("/api/share/123456/metadata", "{\"title\":\"T\"}");
        expect(200, api.get("/api/share/123456/audio?since=-1"));
        expect(404, api.get("/api/share/999999/status"));
        String after = scrape();

        long chunkBytes = 441L * 2 * Float.BYTES;
        assertThat(delta(before, after, "musicshare_audio_chunks_received_total")).isEqualTo(4);
        assertThat(delta(before, after, "musicshare_audio_bytes_received_total")).isEqualTo(4 * chunkBytes);
        assertThat(delta(before, after, "musicshare_audio_chunks_served_total")).isEqualTo(4);
        assertThat(delta(before, after, "musicshare_metadata_updates_total")).isEqualTo(1);
        assertThat(delta(before, after, "http_server_requests_seconds_count{method=\"POST\",route=\"/api/share/{sessionId}/audio\",status=\"200\"}"))
                .isEqualTo(4);
        assertThat(delta(before, after, "musicshare_http_errors_total{route=\"/api/share/{sessionId}/status\",status=\"404\"}"))
                .isEqualTo(1);
        assertThat(value(after, "musicshare_sessions_active")).isEqualTo(1);
        assertThat(value(after, "musicshare_listeners")).isEqualTo(1); // the poller above
        assertThat(after).contains("http_server_requests_seconds_bucket").contains("jvm_memory_used_bytes");
        if (!storeKind.equals("memory")) {
            assertThat(delta(before, after, "musicshare_store_operation_seconds_count{operation=\"audio\"}"))
                    .isEqualTo(4);
        }
    }

    @Test
    void operators_see_each_live_session() {
        expect(200, start("123456"));
        postChunk("123456", 0);
        api.get("/api/share/123456/audio", "X-Listener-Id", "one");
        assertThat(api.withAuthorization(null).get("/api/admin/stats").status()).isEqualTo(401);
        JsonNode stats = expect(200, api.get("/api/admin/stats")).json();
        assertThat(stats.get("liveSessions").asInt()).isEqualTo(1);
        JsonNode session = stats.get("sessions").get(0);
        assertThat(session.get("sessionId").asText()).isEqualTo("123456");
        assertThat(session.get("chunks").asLong()).isEqualTo(1);
        assertThat(session.get("bytes").asLong()).isEqualTo(441L * 2 * Float.BYTES);
        assertThat(session.get("listeners").asInt()).isEqualTo(1);
        assertThat(session.get("ageSeconds").asDouble()).isBetween(0.0, 60.0);
    }

    private String scrape() {
        var reply = api.withAuthorization(null).get("/metrics");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("text/plain");
        return reply.text();
    }

    private static double delta(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }

    /** A series' value; 0 when absent (a counter not yet incremented with those labels). */
    private static double value(String scrape, String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
