package dev.musicshare.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AudioChunkTest {

    @Test
    void canonical_json_holds_every_field_verbatim() throws Exception {
        AudioChunk chunk = new AudioChunk("AAAAAAAAgD8=", 48000, 2, 1234567890123L, 42);
        JsonNode json = new ObjectMapper().readTree(chunk.toJson());
        assertThat(json.get("data").asText()).isEqualTo("AAAAAAAAgD8=");
        assertThat(json.get("sampleRate").asInt()).isEqualTo(48000);
        assertThat(json.get("channels").asInt()).isEqualTo(2);
        assertThat(json.get("timestamp").asLong()).isEqualTo(1234567890123L);
        assertThat(json.get("sequenceNumber").asLong()).isEqualTo(42);
        assertThat(chunk.decodedBytes()).isEqualTo(8);
        assertThat(chunk.frames()).isEqualTo(1);
    }

    @Test
    void a_partial_frame_is_refused_with_the_arithmetic() {
        assertThatThrownBy(() -> new AudioChunk("AAAAAA==", 44100, 2, 0, 0))
                .hasMessage("data must hold whole frames of 2 float32 samples (8 bytes each), but decodes to 4 bytes");
    }

    @Test
    void session_ids_are_exactly_six_ascii_digits() {
        assertThat(new SessionId("000123").value()).isEqualTo("000123");
        assertThatThrownBy(() -> new SessionId("12345")).hasMessage(
                "sessionId must be exactly 6 digits (0-9), was \"12345\"");
        assertThatThrownBy(() -> new SessionId(null)).hasMessageEndingWith("was missing");
        assertThatThrownBy(() -> new SessionId("١٢٣٤٥٦")).isInstanceOf(ShareException.class);
    }
}
