package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.PushEvent;
import dev.musicshare.testing.SseTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
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
    void a_head_request_is_answered_as_the_get_would_be_without_the_body() {
        start("123456");
        assertThat(api.postJson("/api/share/123456/metadata", "{\"title\":\"Song\"}").status()).isEqualTo(200);
        assertThat(postChunk("123456", 0).status()).isEqualTo(200);
        for (String path : List.of("/api/share/123456/status", "/api/share/123456/metadata",
                "/api/share/123456/audio?since=-1", "/api/share/123456/invite", "/api/share/123456/invite.svg",
                "/api/clock", "/openapi.json", "/", "/listen/123456", "/admin")) {
            Reply get = api.get(path);
            Reply head = api.head(path);
            assertThat(head.status()).as("HEAD %s", path).isEqualTo(get.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).as("HEAD %s", path).isEqualTo(get.header("Content-Type"));
            assertThat(head.text()).as("HEAD %s has no body", path).isEmpty();
        }
        // Without HEAD routes Javalin answered an empty 200 to anything a GET route matched, even a missing session.
        for (String path : List.of("/api/share/999999/status", "/api/share/999999/metadata",
                "/api/share/999999/thumbnail", "/api/share/999999/invite")) {
            assertThat(api.head(path).status()).as("HEAD %s", path).isEqualTo(api.get(path).status()).isEqualTo(404);
        }
        assertThat(api.head("/api/share/12x456/status").status()).isEqualTo(400);
        assertThat(api.head("/assets/no-such-file.js").status()).isEqualTo(404);
        assertThat(api.withAuthorization(null).head("/health").status()).isEqualTo(200);
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
