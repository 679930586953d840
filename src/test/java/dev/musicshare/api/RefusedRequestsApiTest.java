package dev.musicshare.api;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.AudioSamples;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests refused at the edge — a malformed session id, chunk, metadata or {@code since}, a body over its limit, an
 * unknown route — each answered with a JSON 4xx that changes nothing. The refusal comes before the store is asked,
 * so the shape of Redis cannot change it: these run on memory and on one Redis (which also checks that nothing was
 * written), not on Sentinel or a cluster, whose per-test server start would cost seconds across ~60 cases and test
 * nothing more. What the store does with valid requests runs on every shape in {@link SessionApiTest},
 * {@link AudioApiTest} and {@link MetadataApiTest}.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis"})
class RefusedRequestsApiTest extends ApiTestBase {

    @BeforeEach
    void startSession() {
        expect(200, start("123456"));
    }

    // --- session ids and routes ---

    @ParameterizedTest
    @ValueSource(strings = {"{\"sessionId\":\"12345\"}", "{\"sessionId\":\"1234567\"}", "{\"sessionId\":\"12a456\"}",
            "{\"sessionId\":\" 123456\"}", "{\"sessionId\":\"１２３４５６\"}", "{\"sessionId\":123456}",
            "{\"sessionId\":null}", "{}", "[\"123456\"]", "\"123456\""})
    void start_refuses_anything_but_a_six_digit_string(String body) {
        Reply reply = api.postJson("/api/share/start", body);
        assertThat(reply.status()).as(body).isEqualTo(400);
        assertThat(reply.json().get("success").asBoolean()).isFalse();
        assertThat(reply.json().get("error").asText()).containsAnyOf("sessionId", "JSON object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345", "1234567", "abcdef", "start", "12345x"})
    void every_path_refuses_an_invalid_session_id_with_400(String id) {
        List<Reply> replies = List.of(
                api.postJson("/api/share/" + id + "/metadata", "{\"title\":\"x\"}"),
                api.postJson("/api/share/" + id + "/audio", chunkJson(0, 4)),
                api.postEmpty("/api/share/" + id + "/stop"),
                api.get("/api/share/" + id + "/status"),
                api.get("/api/share/" + id + "/metadata"),
                api.get("/api/share/" + id + "/audio?since=-1"));
        for (Reply reply : replies) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
            assertThat(reply.json().get("error").asText()).startsWith("sessionId must be exactly 6 digits");
            assertThat(reply.json().get("code").asText()).isEqualTo("INVALID_REQUEST");
        }
    }

    @Test
    void a_request_jetty_refuses_before_routing_gets_a_json_400_and_a_closed_connection() {
        // Jetty refuses a NUL before a dot segment itself, before any route (and so before our body draining); it
        // answers 400 in our JSON shape and closes. A client still uploading a body then may lose that answer to a
        // reset (see JettyJsonErrors); a request without a body always reads it.
        for (String path : List.of("/api/share/222222%00/..", "/api/share/222222%00/metadata")) {
            Reply refused = api.postEmpty(path);
            assertThat(refused.status()).as(path).isEqualTo(400);
            assertThat(refused.json().get("code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(refused.header("Connection")).isEqualTo("close");
        }
    }

    @Test
    void unknown_routes_answer_json_404() {
        Reply reply = api.get("/api/nothing-here");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("code").asText()).isEqualTo("NOT_FOUND");
    }

    // --- audio ---

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.5", "", "9999999999999999999999"})
    void a_non_integer_since_is_a_400(String since) {
        Reply reply = api.get("/api/share/123456/audio?since=" + since);
        if (since.isEmpty()) {
            assertThat(reply.status()).isEqualTo(204); // empty means "not given": the whole (empty) buffer
            return;
        }
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("error").asText()).startsWith("since must be an integer");
        assertThat(reply.json().has("success")).isFalse();
    }

    @Test
    void since_below_minus_one_is_a_400() {
        assertThat(api.get("/api/share/123456/audio?since=-2").status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"data\":\"not base64!\",\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":1}",
        "{\"data\":\"AAAA\",\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":1}",
        "{\"data\":\"AAAAAAA=\",\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":1}",
        "{\"data\":\"AAAAAAAAAAA\",\"sampleRate\":44100,\"channels\":1,\"sequenceNumber\":1}",
        "{\"data\":\"\",\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":1}",
        "{\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":1}",
        "{\"data\":\"AAAAAAAAAAA=\",\"channels\":2,\"sequenceNumber\":1}",
        "{\"data\":\"AAAAAAAAAAA=\",\"sampleRate\":44100,\"sequenceNumber\":1}",
        "{\"data\":\"AAAAAAAAAAA=\",\"sampleRate\":44100,\"channels\":2}",
        "{\"data\":\"AAAAAAAAAAA=\",\"sampleRate\":\"44100\",\"channels\":2,\"sequenceNumber\":1}",
        "{\"data\":\"AAAAAAAAAAA=\",\"sampleRate\":44100.5,\"channels\":2,\"sequenceNumber\":1}",
        "{\"data\":\"AAAAAAAAAAA=\",\"sampleRate\":100,\"channels\":2,\"sequenceNumber\":1}",
        "{\"data\":\"AAAAAAAAAAA=\",\"sampleRate\":44100,\"channels\":0,\"sequenceNumber\":1}",
        "{\"data\":\"AAAAAAAAAAA=\",\"sampleRate\":44100,\"channels\":99,\"sequenceNumber\":1}",
        "{\"data\":\"AAAAAAAAAAA=\",\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":-1}",
        "{\"data\":\"AAAAAAAAAAA=\",\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":1.5}",
        "{\"data\":\"AAAAAAAAAAA=\",\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":true}",
        "{\"data\":\"AAAAAAAAAAA=\",\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":9007199254740992}",
        "{\"data\":12,\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":1}",
        "{\"data\":\"AAAAAAAAAAA\u00e9\",\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":1}",
        "{\"data\":\"AAAAAAAAAA\\u00e9=\",\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":1}",
        "{\"data\":\"AAAAAAAAAA\\n=\",\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":1}",
        "{\"data\":\"AAAAAAAAAAA=\",\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":1,\"timestamp\":\"now\"}",
        "{\"data\":\"AAAAAAAAAAA=\",\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":1} trailing",
        "{\"data\":\"AAAAAAAAAAA=\",\"sampleRate\":44100,",
        "[]", "null", "", "not json"})
    void an_invalid_chunk_is_refused_with_400_and_stores_nothing(String body) {
        Reply reply = api.postJson("/api/share/123456/audio", body);
        assertThat(reply.status()).as(body).isEqualTo(400);
        assertThat(reply.json().get("success").asBoolean(true)).isFalse();
        assertThat(reply.json().get("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(reply.json().get("error").asText()).isNotBlank().doesNotContain("Exception");
        assertThat(api.get("/api/share/123456/audio?since=-1").status()).isEqualTo(204);
    }

    @Test
    void a_chunk_over_the_size_limit_is_a_413() {
        String big = chunkJson(0, AudioSamples.base64(MAX_AUDIO_BODY / 8, 2, 0), 44100, 2);
        Reply reply = api.postJson("/api/share/123456/audio", big);
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().get("error").asText()).contains("" + MAX_AUDIO_BODY);
        assertThat(api.get("/api/share/123456/audio?since=-1").status()).isEqualTo(204);
    }

    @Test
    void a_non_json_content_type_is_a_415() {
        Reply reply = api.post("/api/share/123456/audio", "text/plain", chunkJson(0, 4));
        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.json().get("code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(api.get("/api/share/123456/audio?since=-1").status()).isEqualTo(204);
    }

    // --- metadata ---

    @ParameterizedTest
    @ValueSource(strings = {"{\"title\":5}", "{\"artist\":[\"a\"]}", "{\"hasSyncedLyrics\":\"true\"}",
            "{\"elapsedSeconds\":\"45\"}", "{\"totalSeconds\":-1}", "{\"timestamp\":\"now\"}",
            "{\"thumbnailData\":{}}", "[1,2]", "{\"title\":", "nonsense"})
    void mistyped_metadata_is_refused_and_changes_nothing(String body) {
        api.postJson("/api/share/123456/metadata", "{\"title\":\"Kept\"}");
        Reply reply = api.postJson("/api/share/123456/metadata", body);
        assertThat(reply.status()).as(body).isEqualTo(400);
        assertThat(reply.json().get("success").asBoolean(true)).isFalse();
        assertThat(api.get("/api/share/123456/metadata").json().get("title").asText()).isEqualTo("Kept");
    }

    @Test
    void oversized_fields_are_refused_naming_the_limit_and_change_nothing() {
        api.postJson("/api/share/123456/metadata", "{\"title\":\"Kept\"}");
        Reply title = api.postJson("/api/share/123456/metadata", "{\"title\":\"" + "t".repeat(513) + "\"}");
        assertThat(title.status()).isEqualTo(400);
        assertThat(title.json().get("error").asText()).isEqualTo("title is 513 characters; the limit is 512");
        Reply lyrics = api.postJson("/api/share/123456/metadata", "{\"lyrics\":\"" + "l".repeat(65_537) + "\"}");
        assertThat(lyrics.status()).isEqualTo(413);
        assertThat(lyrics.json().get("error").asText()).contains("the limit is 65536");
        assertThat(api.get("/api/share/123456/metadata").json().get("title").asText()).isEqualTo("Kept");
    }
}
