package dev.musicshare.api;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.ApiClient.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Starting sessions, auth, health and ids: the seed's contract over real HTTP, on every store shape (malformed ids
 * and bodies, refused before the store is asked, are in {@link RefusedRequestsApiTest}).
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis", "sentinel", "cluster"})
class SessionApiTest extends ApiTestBase {

    // --- start ---

    @Test
    void start_answers_with_the_session_and_its_start_time() {
        long before = System.currentTimeMillis();
        Reply reply = start("123456");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode body = reply.json();
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("sessionId").asText()).isEqualTo("123456");
        assertThat(body.get("timestamp").isIntegralNumber()).isTrue();
        assertThat(body.get("timestamp").asLong()).isBetween(before - 60_000, System.currentTimeMillis() + 60_000);
        assertThat(body.get("senderKey").asText()).matches("[0-9a-f]{48}");
    }

    @Test
    void starting_an_id_in_use_is_a_conflict() {
        start("123456");
        Reply reply = start("123456");
        assertThat(reply.status()).isEqualTo(409);
        assertSenderError(reply, "Session ID already in use", "SESSION_IN_USE");
    }

    @Test
    void the_session_after_the_limit_is_refused_with_503() {
        for (int i = 0; i < MAX_SESSIONS; i++) assertThat(start("10000" + i).status()).isEqualTo(200);
        Reply refused = start("200000");
        assertThat(refused.status()).isEqualTo(503);
        assertSenderError(refused, "Maximum number of sessions reached (" + MAX_SESSIONS + "); try again later",
                "SESSION_LIMIT_REACHED");
        // A stopped session frees its place.
        api.postEmpty("/api/share/100000/stop");
        assertThat(start("200000").status()).isEqualTo(200);
    }

    @Test
    void a_body_the_endpoint_ignores_does_not_cost_the_client_its_answer() {
        // stop takes no body, but a client may send one. Left unread, the server would answer and close while the
        // client is still uploading, and the client's kernel would reset the connection before it read the answer.
        String ignored = "{\"padding\":\"" + "x".repeat(MAX_AUDIO_BODY + 20_000) + "\"}";
        for (int round = 0; round < 8; round++) { // under the start rate limit
            String id = "" + (300_000 + round);
            expect(200, start(id));
            Reply stopped = api.postJson("/api/share/" + id + "/stop", ignored);
            assertThat(stopped.status()).as("round " + round).isEqualTo(200);
            assertThat(stopped.json().get("success").asBoolean()).isTrue();
            Reply again = api.postJson("/api/share/" + id + "/stop", ignored); // now on a reused connection
            assertThat(again.status()).as("round " + round).isEqualTo(200);
            assertThat(again.json().get("sessionDuration")).isEqualTo(stopped.json().get("sessionDuration"));
        }
    }

    @Test
    void a_stopped_id_may_be_started_again_afresh() {
        start("123456");
        postChunk("123456", 0);
        api.postEmpty("/api/share/123456/stop");
        assertThat(start("123456").status()).isEqualTo(200);
        assertThat(api.get("/api/share/123456/status").json().get("isActive").asBoolean()).isTrue();
        assertThat(api.get("/api/share/123456/audio?since=-1").status()).isEqualTo(204);
    }

    // --- auth ---

    @Test
    void every_share_endpoint_requires_the_token() {
        start("123456");
        ApiClient anonymous = api.withAuthorization(null);
        ApiClient wrong = api.withAuthorization("Bearer not-the-token");
        for (ApiClient client : List.of(anonymous, wrong)) {
            assertUnauthorized(client.postJson("/api/share/start", "{\"sessionId\":\"654321\"}"), true);
            assertUnauthorized(client.postJson("/api/share/123456/metadata", "{\"title\":\"x\"}"), true);
            assertUnauthorized(client.postJson("/api/share/123456/audio", chunkJson(0, 4)), true);
            assertUnauthorized(client.postEmpty("/api/share/123456/stop"), true);
            assertUnauthorized(client.get("/api/share/123456/status"), false);
            assertUnauthorized(client.get("/api/share/123456/metadata"), false);
            assertUnauthorized(client.get("/api/share/123456/audio?since=-1"), false);
        }
        // Nothing changed: the session is still active and unused.
        assertThat(api.get("/api/share/123456/status").json().get("isActive").asBoolean()).isTrue();
        assertThat(api.get("/api/share/654321/status").status()).isEqualTo(404);
    }

    @Test
    void without_the_requirement_a_missing_key_passes_but_a_wrong_one_is_refused() {
        String key = start("123456").json().get("senderKey").asText();
        assertThat(api.postJson("/api/share/123456/metadata", "{\"title\":\"x\"}").status()).isEqualTo(200);
        assertThat(api.postJson("/api/share/123456/metadata", "{\"title\":\"x\"}", "X-Sender-Key", "wrong")
                .status()).isEqualTo(403);
        assertThat(api.postEmpty("/api/share/123456/stop", "X-Sender-Key", key).status()).isEqualTo(200);
    }

    @Test
    void the_token_is_accepted_bare_and_with_any_case_of_scheme() {
        assertThat(api.withAuthorization(TOKEN).postJson("/api/share/start", "{\"sessionId\":\"111111\"}").status())
                .isEqualTo(200);
        assertThat(api.withAuthorization("bearer " + TOKEN).get("/api/share/111111/status").status()).isEqualTo(200);
        assertThat(api.withAuthorization("Bearer " + TOKEN + "x").get("/api/share/111111/status").status())
                .isEqualTo(401);
    }

    @Test
    void health_needs_no_token_and_names_the_store() {
        Reply reply = api.withAuthorization(null).get("/health");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("status").asText()).isEqualTo("healthy");
        assertThat(reply.json().get("store").asText()).isIn("memory", "redis");
    }

    // --- invalid and unknown ids on every path ---

    @Test
    void an_unknown_session_is_404_everywhere() {
        assertSenderError(expect(404, api.postJson("/api/share/999999/metadata", "{\"title\":\"x\"}")),
                "Session not found", "SESSION_NOT_FOUND");
        assertSenderError(expect(404, api.postJson("/api/share/999999/audio", chunkJson(0, 4))),
                "Session not found", "SESSION_NOT_FOUND");
        assertSenderError(expect(404, api.postEmpty("/api/share/999999/stop")), "Session not found",
                "SESSION_NOT_FOUND");
        JsonNode status = expect(404, api.get("/api/share/999999/status")).json();
        assertThat(status.get("error").asText()).isEqualTo("Session not found");
        assertThat(status.get("isActive").asBoolean(true)).isFalse();
        assertThat(status.has("success")).isFalse();
        assertThat(expect(404, api.get("/api/share/999999/metadata")).json().get("error").asText())
                .isEqualTo("Session not found or no metadata available");
        assertThat(expect(404, api.get("/api/share/999999/audio?since=-1")).json().get("error").asText())
                .isEqualTo("Session not found");
    }
}
