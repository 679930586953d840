package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.testing.ApiClient.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Metadata in and out, listener counting, status and stop, on every store shape (mistyped and oversized metadata,
 * refused before the store is asked, is in {@link RefusedRequestsApiTest}).
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis", "sentinel", "cluster"})
class MetadataApiTest extends ApiTestBase {
    static final String FULL_METADATA = "{\"title\":\"Song Title\",\"artist\":\"Artist Name\","
            + "\"lyrics\":\"[00:12.50]Line 1\",\"hasSyncedLyrics\":true,\"elapsedSeconds\":45.2,"
            + "\"totalSeconds\":180.5,\"thumbnailData\":\"/9j/4AAQ\",\"timestamp\":1234567890123}";

    @BeforeEach
    void startSession() {
        expect(200, start("123456"));
    }

    @Test
    void metadata_round_trips_with_its_types() {
        Reply posted = expect(200, api.postJson("/api/share/123456/metadata", FULL_METADATA));
        assertThat(posted.json().get("success").asBoolean()).isTrue();
        assertThat(posted.json().get("listenersNotified").isInt()).isTrue();

        JsonNode metadata = expect(200, api.get("/api/share/123456/metadata")).json();
        assertThat(metadata.get("title").asText()).isEqualTo("Song Title");
        assertThat(metadata.get("artist").asText()).isEqualTo("Artist Name");
        assertThat(metadata.get("lyrics").asText()).isEqualTo("[00:12.50]Line 1");
        assertThat(metadata.get("hasSyncedLyrics").isBoolean()).isTrue();
        assertThat(metadata.get("hasSyncedLyrics").asBoolean()).isTrue();
        assertThat(metadata.get("elapsedSeconds").isNumber()).isTrue();
        assertThat(metadata.get("elapsedSeconds").asDouble()).isEqualTo(45.2);
        assertThat(metadata.get("totalSeconds").asDouble()).isEqualTo(180.5);
        assertThat(metadata.get("thumbnailData").asText()).isEqualTo("/9j/4AAQ");
        assertThat(metadata.get("timestamp").asLong()).isEqualTo(1234567890123L);
    }

    @Test
    void nulls_and_missing_fields_read_back_as_typed_defaults() {
        expect(200, api.postJson("/api/share/123456/metadata", "{\"title\":\"Unknown\",\"artist\":\"Unknown\","
                + "\"lyrics\":null,\"thumbnailData\":null,\"hasSyncedLyrics\":null,\"elapsedSeconds\":null}"));
        JsonNode metadata = api.get("/api/share/123456/metadata").json();
        assertThat(metadata.get("hasSyncedLyrics").isBoolean()).isTrue();
        assertThat(metadata.get("hasSyncedLyrics").asBoolean()).isFalse();
        assertThat(metadata.get("elapsedSeconds").isNumber()).isTrue();
        assertThat(metadata.get("elapsedSeconds").asDouble()).isZero();
        assertThat(metadata.get("totalSeconds").isNumber()).isTrue();
        assertThat(metadata.get("lyrics").isNull()).isTrue();
        assertThat(metadata.get("thumbnailData").isNull()).isTrue();
        assertThat(metadata.get("timestamp").asLong()).isPositive();
    }

    @Test
    void a_newer_update_replaces_the_whole_metadata() {
        api.postJson("/api/share/123456/metadata", FULL_METADATA);
        api.postJson("/api/share/123456/metadata", "{\"title\":\"Next\",\"artist\":\"Someone\"}");
        JsonNode metadata = api.get("/api/share/123456/metadata").json();
        assertThat(metadata.get("title").asText()).isEqualTo("Next");
        assertThat(metadata.get("lyrics").isNull()).isTrue();
        assertThat(metadata.get("hasSyncedLyrics").asBoolean()).isFalse();
    }

    @Test
    void no_metadata_yet_is_a_404() {
        Reply reply = api.get("/api/share/123456/metadata");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("error").asText()).isEqualTo("Session not found or no metadata available");
    }

    @Test
    void listeners_are_counted_once_each_and_reported_to_sender_and_status() {
        assertThat(api.postJson("/api/share/123456/metadata", FULL_METADATA).json().get("listenersNotified").asInt())
                .isZero();
        api.get("/api/share/123456/metadata", "X-Listener-Id", "phone");
        api.get("/api/share/123456/audio?since=-1", "X-Listener-Id", "phone");
        api.get("/api/share/123456/audio?since=-1", "X-Listener-Id", "laptop");
        api.get("/api/share/123456/audio?since=-1", "User-Agent", "SongRequest Desktop v3.17");
        api.get("/api/share/123456/audio?since=-1", "User-Agent", "SongRequest Desktop v3.17");
        // A status check is not listening.
        api.get("/api/share/123456/status", "X-Listener-Id", "sender-app");

        assertThat(api.postJson("/api/share/123456/metadata", FULL_METADATA).json().get("listenersNotified").asInt())
                .isEqualTo(3);
        assertThat(api.get("/api/share/123456/status").json().get("listenerCount").asInt()).isEqualTo(3);
    }

    @Test
    void status_reports_the_session_and_current_track() {
        long startTime = api.get("/api/share/123456/status").json().get("startTime").asLong();
        api.postJson("/api/share/123456/metadata", FULL_METADATA);
        JsonNode status = expect(200, api.get("/api/share/123456/status")).json();
        assertThat(status.get("isActive").asBoolean()).isTrue();
        assertThat(status.get("startTime").asLong()).isEqualTo(startTime).isPositive();
        assertThat(status.get("listenerCount").asInt()).isZero();
        assertThat(status.get("currentMetadata").get("title").asText()).isEqualTo("Song Title");
        assertThat(status.get("currentMetadata").get("artist").asText()).isEqualTo("Artist Name");
    }

    @Test
    void stop_reports_duration_and_decoded_bytes_then_the_session_stays_readable() {
        postChunk("123456", 0);
        postChunk("123456", 1);
        api.postJson("/api/share/123456/metadata", FULL_METADATA);
        Reply stop = expect(200, api.postEmpty("/api/share/123456/stop"));
        JsonNode body = stop.json();
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("sessionDuration").isNumber()).isTrue();
        assertThat(body.get("sessionDuration").asDouble()).isBetween(0.0, 60.0);
        long expectedBytes = 2L * 441 * 2 * Float.BYTES;
        assertThat(body.get("bytesTransferred").asLong()).isEqualTo(expectedBytes);
        assertThat(body.get("stats").get("chunksReceived").asLong()).isEqualTo(2);
        assertThat(body.get("stats").get("peakListeners").asInt()).isZero();

        JsonNode status = expect(200, api.get("/api/share/123456/status")).json();
        assertThat(status.get("isActive").asBoolean()).isFalse();
        assertThat(sequences(api.get("/api/share/123456/audio?since=-1"))).containsExactly(0L, 1L);
        assertThat(api.get("/api/share/123456/metadata").status()).isEqualTo(200);

        // Stopping again answers with the same figures.
        JsonNode again = expect(200, api.postEmpty("/api/share/123456/stop")).json();
        assertThat(again.get("sessionDuration").asDouble()).isEqualTo(body.get("sessionDuration").asDouble());
        assertThat(again.get("bytesTransferred").asLong()).isEqualTo(expectedBytes);
    }

    @Test
    void metadata_after_stop_is_refused_with_409() {
        api.postEmpty("/api/share/123456/stop");
        Reply reply = api.postJson("/api/share/123456/metadata", FULL_METADATA);
        assertThat(reply.status()).isEqualTo(409);
        assertSenderError(reply, "Session is not active (stopped)", "SESSION_NOT_ACTIVE");
    }

    @Test
    void a_chunked_metadata_post_and_a_stop_with_json_body_work_like_the_desktop_app() {
        expect(200, api.postChunked("/api/share/123456/metadata", FULL_METADATA, "User-Agent",
                "SongRequest Desktop v3.17"));
        assertThat(api.get("/api/share/123456/metadata").json().get("title").asText()).isEqualTo("Song Title");
        expect(200, api.postJson("/api/share/123456/stop", "{}"));
    }

    @Test
    void the_cover_art_is_served_as_an_image_with_a_content_version() {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, 4};
        String base64 = java.util.Base64.getEncoder().encodeToString(jpeg);
        expect(404, api.get("/api/share/123456/thumbnail"));
        api.postJson("/api/share/123456/metadata", "{\"title\":\"T\",\"thumbnailData\":\"" + base64 + "\"}");
        Reply image = expect(200, api.withAuthorization(null).get("/api/share/123456/thumbnail?access_token=" + TOKEN));
        assertThat(image.contentType()).isEqualTo("image/jpeg");
        assertThat(image.body()).isEqualTo(jpeg);
        Reply again = api.get("/api/share/123456/thumbnail", "If-None-Match", image.header("ETag"));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }
}
