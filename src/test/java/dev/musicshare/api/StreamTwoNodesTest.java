package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.AudioSamples;
import dev.musicshare.testing.Ffmpeg;
import dev.musicshare.testing.OpusPushStream;
import dev.musicshare.testing.RedisServer;
import dev.musicshare.testing.Signals;
import dev.musicshare.testing.SseTestClient;
import dev.musicshare.testing.StreamClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A player (stream.ogg) or an Opus push listener on node B of a sender on node A hears the same audio: B encodes the
 * chunks Redis already brings it.
 */
class StreamTwoNodesTest {
    private static final String TOKEN = "two-nodes-token";
    private RedisServer redis;
    private MusicShareServer nodeA;
    private MusicShareServer nodeB;

    @AfterEach
    void stop() {
        if (nodeA != null) nodeA.close();
        if (nodeB != null) nodeB.close();
        if (redis != null) redis.close();
    }

    @Test
    void a_sweep_sent_to_node_a_comes_back_intact_from_node_b_stream() {
        Ffmpeg.require();
        redis = RedisServer.start();
        nodeA = node();
        nodeB = node();
        ApiClient a = new ApiClient(nodeA.port(), TOKEN);
        assertThat(a.postJson("/api/share/start", "{\"sessionId\":\"717171\"}").status()).isEqualTo(200);
        float[] source = Signals.sweep(44_100, 2, 2.0);
        try (StreamClient player = StreamClient.open(nodeB.port(), "GET",
                "/api/share/717171/stream.ogg?access_token=" + TOKEN, "1.1", 0).readAll()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> player.bodyLength() > 0);
            for (int from = 0, sequence = 0; from < source.length / 2; from += 4_410, sequence++) {
                int to = Math.min(from + 4_410, source.length / 2);
                assertThat(a.postJson("/api/share/717171/audio", AudioSamples.chunkJson(sequence,
                        Signals.base64(source, 2 * from, 2 * to), 44_100, 2)).status()).isEqualTo(200);
            }
            a.postEmpty("/api/share/717171/stop");
            await().atMost(Duration.ofSeconds(10)).until(player::ended);
            OpusApiTestBase.assertDecodesTo(player.body(), source, 2);
        }
    }

    @Test
    void a_sweep_sent_to_node_a_comes_back_intact_from_node_b_opus_push() {
        Ffmpeg.require();
        redis = RedisServer.start();
        nodeA = node();
        nodeB = node();
        ApiClient a = new ApiClient(nodeA.port(), TOKEN);
        assertThat(a.postJson("/api/share/start", "{\"sessionId\":\"727272\"}").status()).isEqualTo(200);
        float[] source = Signals.sweep(44_100, 2, 2.0);
        try (SseTestClient listener = SseTestClient.open(nodeB.port(),
                "/api/share/727272/events?codec=opus&access_token=" + TOKEN)) {
            assertThat(listener.status()).isEqualTo(200);
            OpusApiTestBase.postSignal(a, "727272", source, 2, 4_410, false);
            a.postEmpty("/api/share/727272/stop");
            OpusApiTestBase.assertDecodesTo(OpusPushStream.toOgg(OpusPushApiTest.audioUntilEnded(listener)), source,
                    2);
        }
    }

    private MusicShareServer node() {
        return MusicShareServer.start(Settings.from(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN",
                TOKEN, "REDIS_URL", redis.url(), "STREAM_SILENCE_AFTER_MS", "10000")), Clock.systemUTC());
    }
}
