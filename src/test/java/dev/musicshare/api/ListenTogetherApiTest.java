package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.AudioSamples;
import dev.musicshare.testing.PushEvent;
import dev.musicshare.testing.SseTestClient;
import dev.musicshare.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Listening together: invite links with a read-only listener token, a QR code of the link, display names in status.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis", "sentinel", "cluster"})
class ListenTogetherApiTest extends ApiTestBase {

    @Override
    Map<String, String> extraEnvironment() {
        return Map.of("STOP_GRACE_SECONDS", "1");
    }

    private ApiClient as(String listenerToken) {
        return api.withAuthorization("Bearer " + listenerToken);
    }

    @Test
    void a_listener_token_opens_every_listener_endpoint_of_its_session_and_nothing_else() throws Exception {
        JsonNode started = expect(200, start("123456")).json();
        String token = started.get("listenerToken").asText();
        assertThat(token).matches("lt_123456_[0-9a-f]{32}").doesNotContain(TOKEN);
        assertThat(started.get("listenUrl").asText())
                .isEqualTo("http://127.0.0.1:" + server.port() + "/listen/123456#token=" + token);
        expect(200, start("654321"));
        api.postJson("/api/share/123456/metadata", "{\"title\":\"Song\"}");
        postChunk("123456", 0);

        ApiClient listener = as(token);
        assertThat(listener.get("/api/share/123456/status").json().get("isActive").asBoolean()).isTrue();
        assertThat(listener.get("/api/share/123456/metadata").json().get("title").asText()).isEqualTo("Song");
        assertThat(sequences(expect(200, listener.get("/api/share/123456/audio?since=-1")))).containsExactly(0L);
        expect(404, listener.get("/api/share/123456/thumbnail")); // no cover: the endpoint answered, not auth
        expect(200, listener.get("/api/share/123456/invite"));
        ApiClient queryOnly = api.withAuthorization(null);
        expect(200, queryOnly.get("/api/share/123456/status?access_token=" + token));
        expect(200, api.withAuthorization(token).get("/api/share/123456/status")); // bare, as the desktop app sends
        try (SseTestClient sse = SseTestClient.open(server.port(), "/api/share/123456/events?access_token=" + token);
                WsTestClient ws = WsTestClient.open(server.port(), "/api/share/123456/ws?access_token=" + token)) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(List.of(sse.next(), sse.next())).extracting(PushEvent::name).containsExactly("metadata", "audio");
            assertThat(List.of(ws.next(), ws.next())).extracting(PushEvent::name).containsExactly("metadata", "audio");
        }

        List<Reply> refused = new ArrayList<>(List.of(
                listener.postJson("/api/share/123456/metadata", "{\"title\":\"hijack\"}"),
                listener.postJson("/api/share/123456/audio", AudioSamples.chunkJson(1, 441)),
                listener.postEmpty("/api/share/123456/stop"),
                listener.postJson("/api/share/start", "{\"sessionId\":\"222222\"}"),
                listener.get("/api/admin/stats"),
                listener.get("/api/share/654321/status"),
                listener.get("/api/share/654321/audio"),
                queryOnly.get("/api/share/654321/events?access_token=" + token)));
        for (Reply reply : refused) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
            assertThat(reply.json().get("code").asText()).isEqualTo("LISTENER_TOKEN_READ_ONLY");
        }
        assertThat(api.get("/api/share/123456/metadata").json().get("title").asText()).isEqualTo("Song");
        assertThat(api.get("/api/share/123456/status").json().get("isActive").asBoolean()).isTrue();
        String forged = token.substring(0, token.length() - 1) + (token.endsWith("0") ? "1" : "0");
        assertUnauthorized(as(forged).get("/api/share/123456/status"), false);
        assertUnauthorized(as("lt_654321_" + token.substring(10)).get("/api/share/654321/status"), false);
    }

    @Test
    void a_listener_token_in_access_token_on_a_sender_endpoint_is_refused_as_read_only_as_in_the_header() {
        String token = expect(200, start("123456")).json().get("listenerToken").asText();
        api.postJson("/api/share/123456/metadata", "{\"title\":\"Song\"}");
        ApiClient queryOnly = api.withAuthorization(null);
        String q = "?access_token=" + token;
        List<Reply> refused = List.of(
                queryOnly.postJson("/api/share/start" + q, "{\"sessionId\":\"222222\"}"),
                queryOnly.postJson("/api/share/123456/metadata" + q, "{\"title\":\"hijack\"}"),
                queryOnly.postJson("/api/share/123456/audio" + q, AudioSamples.chunkJson(0, 441)),
                queryOnly.postEmpty("/api/share/123456/stop" + q));
        for (Reply reply : refused) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
            assertThat(reply.json().get("code").asText()).isEqualTo("LISTENER_TOKEN_READ_ONLY");
        }
        // the shared token is still taken from the header only on writes (it must not end up in URLs and logs)
        assertUnauthorized(queryOnly.postEmpty("/api/share/123456/stop?access_token=" + TOKEN), true);
        expect(404, api.get("/api/share/222222/status"));
        assertThat(api.get("/api/share/123456/status").json().get("isActive").asBoolean()).isTrue();
        assertThat(api.get("/api/share/123456/metadata").json().get("title").asText()).isEqualTo("Song");
        expect(204, api.get("/api/share/123456/audio?since=-1")); // no chunk was posted
    }

    @Test
    void reading_a_stopped_session_in_its_grace_period_does_not_count_or_name_the_reader() {
        expect(200, start("123456"));
        api.postJson("/api/share/123456/metadata", "{\"title\":\"Song\"}");
        expect(200, api.get("/api/share/123456/metadata", "X-Listener-Id", "b", "X-Listener-Name", "Bob"));
        expect(200, api.postEmpty("/api/share/123456/stop"));
        // a page opened after the end reads metadata, audio and the push catch-up, all under its listener id
        expect(200, api.get("/api/share/123456/metadata", "X-Listener-Id", "late", "X-Listener-Name", "Late"));
        api.get("/api/share/123456/audio?since=-1", "X-Listener-Id", "late", "X-Listener-Name", "Late");
        try (SseTestClient sse = SseTestClient.open(server.port(), "/api/share/123456/events?listenerId=late2&name=Later",
                "Authorization", "Bearer " + TOKEN)) {
            assertThat(List.of(sse.next().name(), sse.next().name())).contains("ended");
        }
        JsonNode status = api.get("/api/share/123456/status").json();
        assertThat(status.get("isActive").asBoolean()).isFalse();
        assertThat(status.get("listenerNames")).extracting(JsonNode::asText).containsExactly("Bob");
        assertThat(status.get("listenerCount").asInt()).isEqualTo(1);
    }

    @Test
    void a_listener_token_dies_with_its_session_and_a_new_session_under_the_code_has_another() {
        String first = expect(200, start("123456")).json().get("listenerToken").asText();
        expect(200, api.postEmpty("/api/share/123456/stop"));
        // through the grace period it still reads the stopped session
        assertThat(as(first).get("/api/share/123456/status").json().get("isActive").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/share/123456/status").status() == 404);
        assertUnauthorized(as(first).get("/api/share/123456/status"), false);

        String second = expect(200, start("123456")).json().get("listenerToken").asText();
        assertThat(second).isNotEqualTo(first);
        assertUnauthorized(as(first).get("/api/share/123456/status"), false);
        expect(200, as(second).get("/api/share/123456/status"));
        // stopped and restarted at once, within the grace period: the old token is refused too
        expect(200, api.postEmpty("/api/share/123456/stop"));
        String third = expect(200, start("123456")).json().get("listenerToken").asText();
        assertUnauthorized(as(second).get("/api/share/123456/status"), false);
        expect(200, as(third).get("/api/share/123456/status"));
    }

    @Test
    void the_invite_qr_code_decodes_to_the_listen_url() throws Exception {
        String token = expect(200, start("123456")).json().get("listenerToken").asText();
        JsonNode invite = as(token).get("/api/share/123456/invite").json();
        assertThat(invite.get("listenerToken").asText()).isEqualTo(token);
        Reply svg = expect(200, as(token).get("/api/share/123456/invite.svg"));
        assertThat(svg.contentType()).startsWith("image/svg+xml");
        assertThat(decodeQr(svg.text())).isEqualTo(invite.get("listenUrl").asText())
                .endsWith("/listen/123456#token=" + token);
    }

    @Test
    void status_names_the_listeners_from_their_first_request() {
        expect(200, start("123456"));
        expect(204, api.get("/api/share/123456/audio", "X-Listener-Id", "b", "X-Listener-Name", "Bob"));
        expect(204, api.get("/api/share/123456/audio", "X-Listener-Id", "z", "X-Listener-Name", "Zo%C3%AB"));
        expect(204, api.get("/api/share/123456/audio", "X-Listener-Id", "anon1"));
        expect(204, api.get("/api/share/123456/audio", "X-Listener-Id", "anon2"));
        try (SseTestClient sse = SseTestClient.open(server.port(),
                "/api/share/123456/events?listenerId=a&name=alice%20%20smith", "Authorization", "Bearer " + TOKEN)) {
            assertThat(sse.status()).isEqualTo(200);
            // the stream's headers go out just before the server reads the backlog, which is what records it
            await().atMost(Duration.ofSeconds(5)).until(() -> api.get("/api/share/123456/status").json()
                    .get("listenerNames").size() == 3);
            JsonNode status = api.get("/api/share/123456/status").json();
            assertThat(status.get("listenerCount").asInt()).isEqualTo(5);
            assertThat(status.get("listenerNames")).extracting(JsonNode::asText)
                    .containsExactly("alice smith", "Bob", "Zoë");
            assertThat(status.get("otherListeners").asInt()).isEqualTo(2);
        }
        Reply invalid = api.get("/api/share/123456/audio", "X-Listener-Name", "a%07b");
        assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);
        Reply tooLong = api.get("/api/share/123456/audio", "X-Listener-Name", "x".repeat(41));
        assertThat(tooLong.status()).as(tooLong.toString()).isEqualTo(400);
    }

    @Test
    void a_name_that_is_not_utf8_or_holds_control_characters_is_refused_like_a_too_long_one() {
        expect(200, start("123456"));
        Reply tooLong = api.get("/api/share/123456/audio", "X-Listener-Id", "x", "X-Listener-Name", "x".repeat(41));
        assertThat(tooLong.status()).as(tooLong.toString()).isEqualTo(400);
        String code = tooLong.json().get("code").asText();
        // %FF%FE is not UTF-8 (a decoder would show it as two U+FFFD); %0A and %09 would be folded into a space
        for (String bad : List.of("%FF%FE", "Bo%C3", "a%0Ab", "a%09b", "a\tb", "a%7Fb", "a%E2%80%AEb")) {
            Reply refused = api.get("/api/share/123456/audio", "X-Listener-Id", "bad", "X-Listener-Name", bad);
            assertThat(refused.status()).as(bad + ": " + refused).isEqualTo(400);
            assertThat(refused.json().get("code").asText()).as(bad).isEqualTo(code);
            assertThat(refused.json().get("error").asText()).as(bad).contains("X-Listener-Name");
        }
        Reply badQuery = api.get("/api/share/123456/audio?listenerId=q&name=%FF%FE");
        assertThat(badQuery.status()).as(badQuery.toString()).isEqualTo(400);
        // refused requests change nothing: no listener was counted or named
        JsonNode status = api.get("/api/share/123456/status").json();
        assertThat(status.get("listenerCount").asInt()).isZero();
        assertThat(status.get("listenerNames")).isEmpty();
    }

    /** Draws the SVG's unit squares into pixels (4 per module) and reads them back with ZXing. */
    private static String decodeQr(String svg) throws Exception {
        Matcher box = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
        assertThat(box.find()).isTrue();
        int modules = Integer.parseInt(box.group(1));
        int scale = 4;
        int[] pixels = new int[modules * scale * modules * scale];
        java.util.Arrays.fill(pixels, 0xFFFFFFFF);
        Matcher square = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z").matcher(svg);
        while (square.find()) {
            int x = Integer.parseInt(square.group(1)), y = Integer.parseInt(square.group(2));
            for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) pixels[(y * scale + dy) * modules * scale + x * scale + dx] = 0xFF000000;
            }
        }
        var source = new RGBLuminanceSource(modules * scale, modules * scale, pixels);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
    }
}
