package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Behind a proxy, invite links carry {@code PUBLIC_URL} (and the base path), not the Host the proxy sent on. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory"})
class PublicUrlApiTest extends ApiTestBase {

    @Override
    Map<String, String> extraEnvironment() {
        return Map.of("PUBLIC_URL", "https://music.example.org/");
    }

    @Test
    void start_and_invite_link_to_the_public_address_whatever_host_the_request_named() {
        var started = expect(200, start("123456")).json();
        String token = started.get("listenerToken").asText();
        String expected = "https://music.example.org/listen/123456#token=" + token;
        assertThat(started.get("listenUrl").asText()).isEqualTo(expected);
        // the request came to 127.0.0.1:<port>, as a proxy's hop to the node would
        assertThat(expect(200, api.get("/api/share/123456/invite")).json().get("listenUrl").asText())
                .isEqualTo(expected);
    }
}
