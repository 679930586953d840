package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.PushEvent;
import dev.musicshare.testing.SseTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** CORS only for listed origins, protective headers on every API answer, and a notice to push listeners on shutdown. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = "memory")
class CrossOriginAndHeadersTest extends ApiTestBase {

    @Override
    Map<String, String> extraEnvironment() {
        return Map.of("CORS_ORIGINS", "https://listen.example.org");
    }

    @Test
    void only_listed_origins_may_call_the_api_from_a_browser() throws Exception {
        start("123456");
        Reply allowed = api.get("/api/share/123456/status", "Origin", "https://listen.example.org");
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://listen.example.org");
        Reply other = api.get("/api/share/123456/status", "Origin", "https://evil.example.com");
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight("https://listen.example.org").statusCode()).isEqualTo(204);
        assertThat(preflight("https://listen.example.org").headers().firstValue("Access-Control-Allow-Headers"))
                .hasValueSatisfying(headers -> assertThat(headers).contains("Authorization", "X-Sender-Key"));
        assertThat(preflight("https://evil.example.com").statusCode()).isEqualTo(403);
    }

    @Test
    void api_answers_are_neither_cached_nor_sniffed() {
        Reply reply = api.get("/api/share/999999/status");
        assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void push_listeners_are_told_to_reconnect_when_the_node_shuts_down() {
        start("123456");
        try (SseTestClient listener = SseTestClient.open(server.port(), "/api/share/123456/events",
                "Authorization", "Bearer " + TOKEN)) {
            postChunk("123456", 0);
            assertThat(listener.next().sequenceNumber()).isZero();
            server.close();
            server = null;
            PushEvent notice = listener.next();
            assertThat(notice.name()).isEqualTo("reconnect");
            assertThat(notice.data().get("reason").asText()).isEqualTo("server shutting down");
        }
    }

    private HttpResponse<Void> preflight(String origin) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/api/share/123456/audio"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.discarding());
    }
}
