package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed's lifetimes at their real defaults (15 min, 30 s, 10 s, 5 min), over HTTP, on the memory store driven by
 * a test clock. Redis keeps real TTLs; its store contract test covers them with short configured ones.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = "memory")
class MemoryExpiryApiTest extends ApiTestBase {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));

    @Override
    Clock clock() {
        return clock;
    }

    @BeforeEach
    void startSession() {
        expect(200, start("123456"));
    }

    @Test
    void an_idle_session_expires_after_fifteen_minutes() {
        clock.advance(Duration.ofMinutes(14));
        expect(200, api.postJson("/api/share/123456/metadata", "{\"title\":\"still here\"}"));
        clock.advance(Duration.ofMinutes(14));
        expect(200, api.get("/api/share/123456/status"));
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        expect(404, api.get("/api/share/123456/status"));
        expect(404, postChunk("123456", 0));
        // Its id is free again.
        expect(200, start("123456"));
    }

    @Test
    void listening_does_not_keep_a_session_alive() {
        clock.advance(Duration.ofMinutes(10));
        api.get("/api/share/123456/audio?since=-1");
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        expect(404, api.get("/api/share/123456/status"));
    }

    @Test
    void metadata_expires_thirty_seconds_after_its_last_update() {
        api.postJson("/api/share/123456/metadata", "{\"title\":\"Song\"}");
        clock.advance(Duration.ofSeconds(29));
        expect(200, api.get("/api/share/123456/metadata"));
        clock.advance(Duration.ofSeconds(1));
        expect(404, api.get("/api/share/123456/metadata"));
        assertThat(api.get("/api/share/123456/status").json().get("currentMetadata").get("title").isNull()).isTrue();
    }

    @Test
    void the_audio_buffer_expires_ten_seconds_after_the_last_chunk() {
        postChunk("123456", 0);
        clock.advance(Duration.ofSeconds(9));
        postChunk("123456", 1);
        clock.advance(Duration.ofSeconds(9));
        assertThat(sequences(api.get("/api/share/123456/audio?since=-1"))).containsExactly(0L, 1L);
        clock.advance(Duration.ofSeconds(1));
        expect(204, api.get("/api/share/123456/audio?since=-1"));
    }

    @Test
    void a_stopped_session_stays_readable_for_five_minutes() {
        clock.advance(Duration.ofSeconds(90));
        assertThat(expect(200, api.postEmpty("/api/share/123456/stop")).json().get("sessionDuration").asDouble())
                .isEqualTo(90.0);
        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(expect(200, api.get("/api/share/123456/status")).json().get("isActive").asBoolean()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        expect(404, api.get("/api/share/123456/status"));
    }

    @Test
    void listeners_count_for_fifteen_seconds_after_their_last_poll() {
        api.get("/api/share/123456/audio?since=-1", "X-Listener-Id", "a");
        clock.advance(Duration.ofSeconds(10));
        api.get("/api/share/123456/audio?since=-1", "X-Listener-Id", "b");
        assertThat(api.get("/api/share/123456/status").json().get("listenerCount").asInt()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(6));
        assertThat(api.get("/api/share/123456/status").json().get("listenerCount").asInt()).isEqualTo(1);
    }
}
