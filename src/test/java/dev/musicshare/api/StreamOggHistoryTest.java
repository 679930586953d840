package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.testing.Signals;
import dev.musicshare.testing.StreamClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session history counts what {@code stream.ogg} players were sent, under the codec "opus" (issue 17: "bytes out per
 * codec"): a player that read a whole stream shows in the record as exactly the bytes it received.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory"})
class StreamOggHistoryTest extends OpusApiTestBase {
    static final String ID = "434343";

    @Override
    String sessionId() {
        return ID;
    }

    @Override
    Map<String, String> extraEnvironment() {
        Map<String, String> env = new HashMap<>(super.extraEnvironment());
        env.put("HISTORY_DIR", Path.of("target", "stream-history-" + System.nanoTime()).toString()); // only this session
        return env;
    }

    @Test
    void the_history_record_counts_the_bytes_a_stream_player_received_under_opus() {
        String stream = "/api/share/" + ID + "/stream.ogg?access_token=" + TOKEN;
        try (StreamClient player = StreamClient.open(server.port(), "GET", stream, "1.1", 0).readAll()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> player.bodyLength() > 0);
            postSignal(Signals.sweep(RATE, 2, 2.0), 2, 4_410, false);
            expect(200, api.postEmpty("/api/share/" + ID + "/stop"));
            await().atMost(Duration.ofSeconds(10)).until(player::ended);
            long received = player.bodyLength();
            assertThat(received).isGreaterThan(4_000);

            JsonNode record = await().atMost(Duration.ofSeconds(20))
                    .until(() -> api.get("/api/admin/sessions").json().path("sessions").path(0),
                            session -> session.path("bytesOut").has("opus") && !session.path("live").asBoolean());
            assertThat(record.get("sessionId").asText()).isEqualTo(ID);
            assertThat(record.at("/bytesOut/opus").asLong()).as("opus bytes in the record").isEqualTo(received);
        }
    }
}
