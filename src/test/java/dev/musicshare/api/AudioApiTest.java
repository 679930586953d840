package dev.musicshare.api;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.AudioSamples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Posting and polling audio chunks: order, cap, replacement, since, and what a stopped session refuses, on every store
 * shape (malformed chunks and {@code since}, refused before the store is asked, are in {@link RefusedRequestsApiTest}).
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis", "sentinel", "cluster"})
class AudioApiTest extends ApiTestBase {

    @BeforeEach
    void startSession() {
        expect(200, start("123456"));
    }

    @Test
    void a_chunk_is_buffered_and_read_back_exactly() {
        String data = AudioSamples.base64(441, 2, 0);
        Reply posted = api.postJson("/api/share/123456/audio", chunkJson(0, data, 44100, 2));
        assertThat(posted.status()).isEqualTo(200);
        assertThat(posted.json().get("success").asBoolean()).isTrue();
        assertThat(posted.json().get("buffered").asBoolean()).isTrue();

        Reply read = expect(200, api.get("/api/share/123456/audio?since=-1"));
        assertThat(read.contentType()).startsWith("application/json");
        JsonNode chunk = read.json().get(0);
        assertThat(read.json().size()).isEqualTo(1);
        assertThat(chunk.get("data").asText()).isEqualTo(data);
        assertThat(chunk.get("sampleRate").asInt()).isEqualTo(44100);
        assertThat(chunk.get("channels").asInt()).isEqualTo(2);
        assertThat(chunk.get("timestamp").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(chunk.get("sequenceNumber").isIntegralNumber()).isTrue();
        assertThat(chunk.get("sequenceNumber").asLong()).isZero();
    }

    @Test
    void out_of_order_chunks_are_served_in_sequence_order() {
        for (long sequence : new long[] {2, 0, 3, 1}) expect(200, postChunk("123456", sequence));
        assertThat(sequences(api.get("/api/share/123456/audio?since=-1"))).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void since_returns_only_newer_chunks_and_204_when_there_are_none() {
        for (long sequence = 0; sequence < 4; sequence++) postChunk("123456", sequence);
        assertThat(sequences(api.get("/api/share/123456/audio?since=1"))).containsExactly(2L, 3L);
        assertThat(sequences(api.get("/api/share/123456/audio"))).containsExactly(0L, 1L, 2L, 3L);
        Reply none = api.get("/api/share/123456/audio?since=3");
        assertThat(none.status()).isEqualTo(204);
        assertThat(none.body()).isEmpty();
    }

    @Test
    void an_empty_buffer_answers_204() {
        Reply none = api.get("/api/share/123456/audio?since=-1");
        assertThat(none.status()).isEqualTo(204);
        assertThat(none.body()).isEmpty();
    }

    @Test
    void the_buffer_keeps_the_newest_chunks_by_sequence_number() {
        for (long sequence = 0; sequence < BUFFER_CHUNKS + 3; sequence++) postChunk("123456", sequence);
        // Arrives late: its place in the stream was passed long ago, so it is not buffered.
        assertThat(postChunk("123456", 1).json().get("buffered").asBoolean()).isFalse();
        assertThat(sequences(api.get("/api/share/123456/audio?since=-1"))).containsExactly(3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void a_repeated_sequence_number_replaces_the_chunk() {
        postChunk("123456", 0);
        String replacement = AudioSamples.base64(441, 2, 99);
        api.postJson("/api/share/123456/audio", chunkJson(0, replacement, 44100, 2));
        Reply read = api.get("/api/share/123456/audio?since=-1");
        assertThat(read.json().size()).isEqualTo(1);
        assertThat(read.json().get(0).get("data").asText()).isEqualTo(replacement);
    }

    @Test
    void a_valid_minimal_chunk_names_one_stereo_frame() {
        // 8 bytes: one stereo frame of float32. Timestamp may be left out; the server's clock fills it in.
        Reply reply = api.postJson("/api/share/123456/audio",
                "{\"data\":\"AAAAAAAAAAA=\",\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":0}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(api.get("/api/share/123456/audio").json().get(0).get("timestamp").asLong()).isPositive();
    }

    @Test
    void escaped_base64_and_spaced_json_are_read_as_json_means_them() {
        // JSON may escape '/' and '+' (.NET's default encoder writes + as \u002B); listeners get plain base64.
        expect(200, api.postJson("/api/share/123456/audio",
                "{\"data\":\"AAAA\\/AA\\u002BAAA=\",\"sampleRate\":44100,\"channels\":2,\"sequenceNumber\":0}"));
        expect(200, api.postJson("/api/share/123456/audio",
                "{ \"sequenceNumber\" : 1 ,\n \"data\"\t:\r\n \"AAAA/AA+AAB=\" , \"sampleRate\":44100,\"channels\":2}"));
        Reply read = expect(200, api.get("/api/share/123456/audio?since=-1"));
        assertThat(read.json().get(0).get("data").asText()).isEqualTo("AAAA/AA+AAA=");
        assertThat(read.json().get(1).get("data").asText()).isEqualTo("AAAA/AA+AAB=");
        assertThat(new String(read.body(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("\\");
    }

    @Test
    void a_chunked_upload_without_content_length_is_accepted() {
        expect(200, api.postChunked("/api/share/123456/audio", chunkJson(0, 4410)));
        String big = chunkJson(1, AudioSamples.base64(MAX_AUDIO_BODY / 8, 2, 1), 44100, 2);
        assertThat(api.postChunked("/api/share/123456/audio", big).status()).isEqualTo(413);
        assertThat(sequences(api.get("/api/share/123456/audio?since=-1"))).containsExactly(0L);
    }

    @Test
    void audio_after_stop_is_refused_with_409() {
        api.postEmpty("/api/share/123456/stop");
        Reply reply = postChunk("123456", 0);
        assertThat(reply.status()).isEqualTo(409);
        assertSenderError(reply, "Session is not active (stopped)", "SESSION_NOT_ACTIVE");
    }
}
