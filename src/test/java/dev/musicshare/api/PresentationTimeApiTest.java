package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.testing.AudioSamples;
import dev.musicshare.testing.MutableClock;
import dev.musicshare.testing.SseTestClient;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each chunk's presentation time, on the server clock that {@code GET /api/clock} gives: pushed and polled alike,
 * one chunk's length after the one before, whatever the arrival. The clock is the test's, so a slow machine cannot
 * make the sender look stalled.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis", "sentinel", "cluster"})
class PresentationTimeApiTest extends ApiTestBase {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00.000250Z"));

    @Override
    Clock clock() {
        return clock;
    }

    @Test
    void chunks_carry_presentation_times_that_follow_their_lengths_on_the_server_clock() {
        expect(200, start("123456"));
        assertThat(new BigDecimal(expect(200, api.withAuthorization(null).get("/api/clock")).json()
                .get("serverTime").asText())).isEqualByComparingTo(clock.millis() + ".250");
        long sent = clock.millis();
        try (SseTestClient sse = SseTestClient.open(server.port(), "/api/share/123456/events", "Authorization",
                "Bearer " + TOKEN)) {
            long[] arrivalJitterMillis = {0, 140, 60, 130};
            for (int sequence = 0; sequence < 4; sequence++) {
                clock.advance(Duration.ofMillis(sequence == 0 ? 0 : 100 + arrivalJitterMillis[sequence]
                        - arrivalJitterMillis[sequence - 1]));
                String chunk = AudioSamples.chunkJson(sequence, AudioSamples.base64(4410, 2, sequence), 44100, 2)
                        .replace("\"timestamp\":" + (1_700_000_000_000L + sequence),
                                "\"timestamp\":" + (sent + 100L * sequence));
                expect(200, api.postJson("/api/share/123456/audio", chunk));
            }
            List<BigDecimal> pushed = sse.next(4, "audio").stream()
                    .map(event -> event.data().get("presentationTime").decimalValue()).toList();
            List<BigDecimal> polled = new ArrayList<>();
            api.get("/api/share/123456/audio?since=-1").json()
                    .forEach(chunk -> polled.add(chunk.get("presentationTime").decimalValue()));
            assertThat(polled).isEqualTo(pushed);
            assertThat(pushed.get(0)).isEqualByComparingTo(sent + ".250");
            for (int i = 1; i < 4; i++) {
                assertThat(pushed.get(i).subtract(pushed.get(i - 1))).isEqualByComparingTo("100.000");
            }
        }
    }
}
