package dev.musicshare.api;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.testing.ApiClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** With REQUIRE_SENDER_KEY, only the session's own sender may post to it or stop it. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis", "sentinel", "cluster"})
class SenderKeyApiTest extends ApiTestBase {

    @Override
    Map<String, String> extraEnvironment() {
        return Map.of("REQUIRE_SENDER_KEY", "true");
    }

    @Test
    void another_client_with_the_shared_token_cannot_post_to_or_stop_the_session() {
        String key = expect(200, start("123456")).json().get("senderKey").asText();
        assertThat(key).hasSize(48);
        String other = expect(200, start("654321")).json().get("senderKey").asText();
        assertThat(other).isNotEqualTo(key);

        for (String[] presented : new String[][] {{}, {"X-Sender-Key", other}, {"X-Sender-Key", "guess"}}) {
            Reply metadata = api.postJson("/api/share/123456/metadata", "{\"title\":\"hijack\"}", presented);
            Reply audio = api.postJson("/api/share/123456/audio", chunkJson(0, 441), presented);
            Reply stop = api.postEmpty("/api/share/123456/stop", presented);
            for (Reply reply : new Reply[] {metadata, audio, stop}) {
                assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
                assertThat(reply.json().get("code").asText()).isIn("SENDER_KEY_REQUIRED", "SENDER_KEY_INVALID");
            }
        }
        assertThat(api.get("/api/share/123456/status").json().get("isActive").asBoolean()).isTrue();
        assertThat(api.get("/api/share/123456/metadata").status()).isEqualTo(404);
        assertThat(api.get("/api/share/123456/audio").status()).isEqualTo(204);

        expect(200, api.postJson("/api/share/123456/metadata", "{\"title\":\"mine\"}", "X-Sender-Key", key));
        expect(200, api.postJson("/api/share/123456/audio", chunkJson(0, 441), "X-Sender-Key", key));
        expect(200, api.postEmpty("/api/share/123456/stop", "X-Sender-Key", key));
    }
}
