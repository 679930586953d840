package dev.musicshare.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLineEncoderTest {

    @Test
    void each_event_is_one_flat_json_line_with_its_key_value_pairs_as_fields() throws Exception {
        LoggingEvent event = new LoggingEvent("dev.musicshare.share.ShareService",
                new LoggerContext().getLogger("dev.musicshare.share.ShareService"), Level.INFO, "session \"started\"\nnow",
                new IllegalStateException("boom"), null);
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("sessionId", "123456"));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("bytes", 42L));
        String line = new String(new JsonLineEncoder().encode(event), StandardCharsets.UTF_8);

        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("event").asText()).isEqualTo("session \"started\"\nnow");
        assertThat(json.get("sessionId").asText()).isEqualTo("123456");
        assertThat(json.get("bytes").asText()).isEqualTo("42");
        assertThat(json.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(json.get("error").asText()).isEqualTo("java.lang.IllegalStateException: boom");
    }
}
