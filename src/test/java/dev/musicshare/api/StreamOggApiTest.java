package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.Ffmpeg;
import dev.musicshare.testing.Signals;
import dev.musicshare.testing.StreamClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code stream.ogg}: a known signal shared through the server comes back intact, decoded by ffmpeg. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis", "sentinel", "cluster"})
class StreamOggApiTest extends OpusApiTestBase {
    static final String ID = "424242";
    static final String STREAM = "/api/share/" + ID + "/stream.ogg?access_token=" + TOKEN;

    @Override
    String sessionId() {
        return ID;
    }

    @Test
    void a_sweep_in_100ms_chunks_comes_back_aligned_and_of_the_same_length_then_the_stream_ends() {
        float[] source = Signals.sweep(RATE, 2, 2.0);
        try (StreamClient player = StreamClient.open(server.port(), "GET", STREAM, "1.1", 0).readAll()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> player.bodyLength() > 0);
            postSignal(source, 2, 4_410, false);
            api.postEmpty("/api/share/" + ID + "/stop");
            await().atMost(Duration.ofSeconds(10)).until(player::ended);

            assertThat(player.header("Content-Type")).isEqualTo("audio/ogg");
            assertThat(player.header("Transfer-Encoding")).isEqualTo("chunked");
            assertDecodesTo(player.body(), source, 2);
        }
    }

    @Test
    void half_second_chunks_posted_out_of_order_encode_without_gaps() {
        float[] source = Signals.sweep(RATE, 2, 3.0);
        try (StreamClient player = StreamClient.open(server.port(), "GET", STREAM, "1.0", 0).readAll()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> player.bodyLength() > 0);
            postSignal(source, 2, 22_050, true);
            api.postEmpty("/api/share/" + ID + "/stop");
            await().atMost(Duration.ofSeconds(10)).until(player::ended);

            assertThat(player.header("Transfer-Encoding")).as("HTTP/1.0: close-delimited").isNull();
            assertDecodesTo(player.body(), source, 2);
        }
    }

    @Test
    void mono_stays_mono_and_a_player_that_joins_late_gets_a_burst_then_one_logical_stream() {
        float[] source = Signals.sweep(RATE, 1, 2.0);
        postSignal(source, 1, 4_410, false);
        try (StreamClient player = StreamClient.open(server.port(), "GET", STREAM, "1.1", 0,
                "Range: bytes=0-").readAll()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> player.bodyLength() > 4_000);
            api.postEmpty("/api/share/" + ID + "/stop");
            await().atMost(Duration.ofSeconds(10)).until(player::ended);

            assertThat(player.status()).isEqualTo(200);
            byte[] ogg = player.body();
            assertThat(occurrences(ogg, "OpusHead")).isEqualTo(1);
            assertThat(occurrences(ogg, "StreamTitle")).isZero();
            float[] decoded = Ffmpeg.decode(ogg, 1);
            // The burst is the buffer's last 2 s, the whole sweep here.
            assertThat(decoded.length).isBetween(96_000 - 960, 96_000 + 960);
            assertThat(Ffmpeg.probe(ogg)).contains("\"channels\": 1");
        }
    }

    @Test
    void head_answers_the_stream_headers_and_an_ended_session_is_refused() {
        Reply head = api.head(STREAM);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Type")).isEqualTo("audio/ogg");
        Reply playlist = api.get("/api/share/" + ID + "/stream.m3u");
        assertThat(playlist.status()).isEqualTo(200);
        assertThat(playlist.text()).startsWith("#EXTM3U\n")
                .contains("http://127.0.0.1:" + server.port() + "/api/share/" + ID + "/stream.ogg?access_token=lt_"
                        + ID + "_").doesNotContain(TOKEN);
        assertThat(api.withAuthorization(null).get("/api/share/" + ID + "/stream.ogg").status()).isEqualTo(401);
        assertThat(api.get("/api/share/999999/stream.ogg").status()).isEqualTo(404);

        api.postEmpty("/api/share/" + ID + "/stop");
        Reply ended = api.get(STREAM);
        assertThat(ended.status()).isEqualTo(409);
        assertThat(ended.json().get("code").asText()).isEqualTo("SESSION_NOT_ACTIVE");
    }
}
