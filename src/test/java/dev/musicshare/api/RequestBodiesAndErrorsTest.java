package dev.musicshare.api;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.AudioSamples;
import dev.musicshare.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request bodies as real clients send them (compressed, announced with {@code Expect: 100-continue}, malformed) and
 * the error answers that must stay JSON in our own words, WebSocket handshakes included; no cookie anywhere. What
 * is tested here is the HTTP edge (decoding, limits, error shapes): a body, once decoded, takes the path
 * {@link AudioApiTest} and {@link MetadataApiTest} run on every store shape, so these run on memory and one Redis only.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis"})
class RequestBodiesAndErrorsTest extends ApiTestBase {
    private static final String ID = "123456";
    private static final String JSON = "application/json";

    @BeforeEach
    void startSession() {
        expect(200, start(ID));
    }

    @Test
    void a_gzip_metadata_body_is_decoded_and_stored() throws IOException {
        byte[] body = gzip("{\"title\":\"Zipped\",\"artist\":\"Packer\"}".getBytes(StandardCharsets.UTF_8));
        expect(200, api.postBytes("/api/share/" + ID + "/metadata", JSON, body, "Content-Encoding", "gzip"));
        JsonNode metadata = expect(200, api.get("/api/share/" + ID + "/metadata")).json();
        assertThat(metadata.get("title").asText()).isEqualTo("Zipped");
        assertThat(metadata.get("artist").asText()).isEqualTo("Packer");
    }

    @Test
    void gzip_zlib_and_bare_deflate_audio_bodies_are_decoded_to_the_same_chunk() throws IOException {
        List<String> data = List.of(samples(441, 0), samples(441, 1), samples(441, 2));
        byte[][] bodies = {
            gzip(chunk(0, data.get(0))), deflate(chunk(1, data.get(1)), false), deflate(chunk(2, data.get(2)), true)};
        String[] codings = {"gzip", "deflate", "Deflate"};
        for (int i = 0; i < bodies.length; i++) {
            Reply posted = api.postBytes("/api/share/" + ID + "/audio", JSON, bodies[i], "Content-Encoding", codings[i]);
            assertThat(posted.json().get("buffered").asBoolean()).as(posted.toString()).isTrue();
        }
        JsonNode chunks = expect(200, api.get("/api/share/" + ID + "/audio?since=-1")).json();
        assertThat(chunks).hasSize(3);
        for (int i = 0; i < 3; i++) assertThat(chunks.get(i).get("data").asText()).isEqualTo(data.get(i));
    }

    @Test
    void a_plain_body_labelled_gzip_is_refused_and_changes_nothing() {
        Reply refused = api.postBytes("/api/share/" + ID + "/metadata", JSON,
                "{\"title\":\"Plain\"}".getBytes(StandardCharsets.UTF_8), "Content-Encoding", "gzip");
        expect(400, refused);
        assertSenderError(refused, "Metadata body is labelled Content-Encoding: gzip but is not valid gzip data",
                "INVALID_REQUEST");
        expect(404, api.get("/api/share/" + ID + "/metadata"));
    }

    @Test
    void a_coding_the_server_cannot_undo_gets_415_naming_it_and_what_is_supported() {
        for (String coding : List.of("br", "zstd", "gzip, br", "compress")) {
            Reply refused = api.postBytes("/api/share/" + ID + "/audio", JSON,
                    chunk(0, samples(441, 0)), "Content-Encoding", coding);
            expect(415, refused);
            String named = coding.startsWith("gzip, ") ? coding.substring(6) : coding;
            assertSenderError(refused, "Content-Encoding " + named + " is not supported; send the body uncompressed"
                    + " or with one of: gzip, deflate", "UNSUPPORTED_CONTENT_ENCODING");
            assertThat(refused.header("Accept-Encoding")).isEqualTo("gzip, deflate");
        }
        expect(204, api.get("/api/share/" + ID + "/audio?since=-1"));
    }

    @Test
    void a_body_that_inflates_past_the_limit_gets_413_and_changes_nothing() throws IOException {
        byte[] bomb = gzip(new byte[16 * MAX_AUDIO_BODY]); // about 1 KB on the wire
        assertThat(bomb.length).isLessThan(MAX_AUDIO_BODY / 16);
        Reply refused = api.postBytes("/api/share/" + ID + "/audio", JSON, bomb, "Content-Encoding", "gzip");
        expect(413, refused);
        assertSenderError(refused, "Audio body exceeds the limit of " + MAX_AUDIO_BODY
                + " bytes once decoded (Content-Encoding: gzip)", "PAYLOAD_TOO_LARGE");
        expect(204, api.get("/api/share/" + ID + "/audio?since=-1"));
    }

    @Test
    void an_oversize_upload_expecting_100_continue_is_refused_from_its_headers_alone() throws IOException {
        RawHttp exchange = RawHttp.send(server.port(), "POST /api/share/" + ID + "/audio HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + 2 * MAX_AUDIO_BODY + "\r\nExpect: 100-continue");
        try {
            RawHttp.Response answer = exchange.read();
            assertThat(answer.status()).as("the first answer, not a 100 (Continue)").isEqualTo(413);
            assertThat(answer.header("Connection")).isEqualTo("close");
            assertThat(new ObjectMapper().readTree(answer.body()).get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(exchange.closedByServer()).isTrue();
        } finally {
            exchange.close();
        }
    }

    @Test
    void any_refusal_before_the_body_is_read_does_not_ask_for_the_body() throws IOException {
        RawHttp exchange = RawHttp.send(server.port(), "POST /api/share/" + ID + "/audio HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer wrong\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
                + "Expect: 100-continue");
        try {
            RawHttp.Response answer = exchange.read();
            assertThat(answer.status()).isEqualTo(401);
            assertThat(exchange.closedByServer()).isTrue();
        } finally {
            exchange.close();
        }
    }

    @Test
    void malformed_json_is_described_in_our_words_with_where_it_broke() {
        byte[] notUtf8 = {'{', '"', 't', 'i', 't', 'l', 'e', '"', ':', '"', (byte) 0xFF, '"', '}'};
        List<byte[]> bodies = List.of(notUtf8, bytes("{\"title\": tru}"), bytes("{\"title\":\"x\"} trailing"),
                bytes("{\"title\":\"x\"}}"), bytes("{\"title\":NaN}"), bytes("{\"title\":\"unfinished"),
                bytes("{\"a\":" + "[".repeat(1200) + "}"), bytes("{\"a\":" + "1".repeat(1200) + "}"));
        for (String endpoint : List.of("start", ID + "/metadata", ID + "/audio")) {
            for (byte[] body : bodies) {
                Reply refused = api.postBytes("/api/share/" + endpoint, JSON, body);
                expect(400, refused);
                String error = refused.json().get("error").asText();
                assertThat(error).as(endpoint).startsWith("Request body is not valid JSON: ")
                        .doesNotContain("Source", "REDACTED", "Feature", "Constraints", "`", "CTRL-CHAR", "token");
                assertThat(refused.json().get("code").asText()).isEqualTo("INVALID_REQUEST");
            }
        }
        assertThat(api.postBytes("/api/share/start", JSON, notUtf8).json().get("error").asText())
                .isEqualTo("Request body is not valid JSON: it is not UTF-8 text");
        assertThat(api.postBytes("/api/share/start", JSON, bytes("{\"sessionId\":\n  @}")).json().get("error")
                .asText()).isEqualTo("Request body is not valid JSON: unexpected input at line 2, column 3");
        expect(404, api.get("/api/share/" + ID + "/metadata"));
        expect(204, api.get("/api/share/" + ID + "/audio?since=-1"));
    }

    @Test
    void refused_websocket_handshakes_answer_json_and_no_handshake_sets_a_cookie() throws IOException {
        RawHttp.Response unauthorized = handshake(ID, "", null);
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.body()).isEqualTo("{\"error\":\"Unauthorized\",\"code\":\"UNAUTHORIZED\"}");
        assertPrivateJsonError(unauthorized);

        RawHttp.Response unknown = handshake("999999", "", TOKEN);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(new ObjectMapper().readTree(unknown.body()).get("code").asText()).isEqualTo("SESSION_NOT_FOUND");
        assertPrivateJsonError(unknown);

        String otherSessionsListener = expect(200, start("654321")).json().get("listenerToken").asText();
        RawHttp.Response forbidden = handshake(ID, "", otherSessionsListener);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(new ObjectMapper().readTree(forbidden.body()).get("code").asText())
                .isEqualTo("LISTENER_TOKEN_READ_ONLY");
        assertPrivateJsonError(forbidden);

        RawHttp.Response badCodec = handshake(ID, "?codec=mp3", TOKEN);
        assertThat(badCodec.status()).isEqualTo(400);
        assertThat(new ObjectMapper().readTree(badCodec.body()).get("code").asText()).isEqualTo("INVALID_REQUEST");
        assertPrivateJsonError(badCodec);

        RawHttp.Response accepted = handshake(ID, "", TOKEN);
        assertThat(accepted.status()).isEqualTo(101);
        assertThat(accepted.header("Set-Cookie")).isNull();
    }

    /** The headers every other JSON error carries (the API's before-filter), on a refused WebSocket handshake. */
    private static void assertPrivateJsonError(RawHttp.Response refusal) {
        assertThat(refusal.header("Content-Type")).startsWith(JSON);
        assertThat(refusal.header("Cache-Control")).isEqualTo("no-store");
        assertThat(refusal.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(refusal.header("Set-Cookie")).isNull();
    }

    @Test
    void a_plain_get_on_the_websocket_endpoint_says_an_upgrade_is_required() {
        Reply plain = api.get("/api/share/" + ID + "/ws");
        expect(426, plain);
        assertThat(plain.header("Upgrade")).isEqualTo("websocket");
        assertThat(plain.json().get("code").asText()).isEqualTo("UPGRADE_REQUIRED");
        assertThat(plain.json().get("error").asText()).contains("WebSocket", "/api/share/" + ID + "/events");
        assertThat(plain.header("Set-Cookie")).isNull();
        expect(404, api.get("/api/share/999999/ws"));
    }

    private RawHttp.Response handshake(String session, String query, String token) throws IOException {
        RawHttp exchange = RawHttp.send(server.port(), "GET /api/share/" + session + "/ws" + query
                + " HTTP/1.1\r\nHost: x\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
        try {
            return exchange.read();
        } finally {
            exchange.close();
        }
    }

    private static byte[] chunk(long sequence, String data) {
        return bytes(chunkJson(sequence, data, 44100, 2));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(plain);
        }
        return out.toByteArray();
    }

    /** RFC 1950 zlib, or (as some clients send "deflate") a bare RFC 1951 stream. */
    private static byte[] deflate(byte[] plain, boolean bare) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream zip = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, bare))) {
            zip.write(plain);
        }
        return out.toByteArray();
    }
}
