package dev.musicshare.api;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.MusicShareServer;
import dev.musicshare.config.InvalidSettingException;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.RedisServer;
import dev.musicshare.testing.Resp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * {@code REDIS_WAIT_REPLICAS}: a sender is answered 200 only once that many replicas hold the write. A master whose
 * replica is away answers 503 with Retry-After; the chunk stays on the master, and the sender's retry of it, once the
 * replica is back, is stored and heard once.
 */
class ReplicaWaitApiTest {
    private static final String TOKEN = "wait-token";

    @Test
    void writes_answer_503_while_no_replica_holds_them_and_a_retried_chunk_is_stored_once() {
        try (RedisServer master = RedisServer.start();
                RedisServer replica = RedisServer.start("--replicaof", "127.0.0.1", "" + master.port());
                MusicShareServer node = MusicShareServer.start(Settings.from(Map.of("REDIS_URL", master.url(),
                        "REDIS_WAIT_REPLICAS", "1", "REDIS_WAIT_TIMEOUT_MS", "1000", "PORT", "0", "BIND_ADDRESS",
                        "127.0.0.1", "BEARER_TOKEN", TOKEN, "HISTORY", "off")), Clock.systemUTC())) {
            awaitReplicas(master, 1);
            ApiClient sender = new ApiClient(node.port(), TOKEN);
            assertThat(sender.postJson("/api/share/start", "{\"sessionId\":\"424242\"}").status()).isEqualTo(200);
            assertThat(sender.postJson("/api/share/424242/audio", chunkJson(0, 441)).status()).isEqualTo(200);

            replica.kill();
            awaitReplicas(master, 0);
            long began = System.nanoTime();
            Reply refused = sender.postJson("/api/share/424242/audio", chunkJson(1, 441));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.json().get("code").asText()).isEqualTo("STORE_UNAVAILABLE");
            assertThat((System.nanoTime() - began) / 1_000_000).as("ms the refusal took: the WAIT timeout")
                    .isGreaterThanOrEqualTo(1_000);
            // Kept on the master: listeners there may already have it; only its durability is in doubt.
            assertThat(sequences(sender)).containsExactly(0L, 1L);

            replica.restart("--replicaof", "127.0.0.1", "" + master.port());
            awaitReplicas(master, 1);
            assertThat(sender.postJson("/api/share/424242/audio", chunkJson(1, 441)).status()).isEqualTo(200);
            assertThat(sequences(sender)).as("the retried chunk, once").containsExactly(0L, 1L);
            assertThat(Resp.call(replica.port(), "ZCARD", "session:{424242}:audio")).isEqualTo(2L);
            assertThat(sender.postEmpty("/api/share/424242/stop").status()).isEqualTo(200);
        }
    }

    @Test
    void a_wait_timeout_the_command_timeout_would_cut_short_stops_start_up() {
        Assertions.assertThatThrownBy(() -> Settings.from(Map.of("REDIS_URL", "redis://127.0.0.1:6379",
                        "REDIS_WAIT_REPLICAS", "1", "REDIS_WAIT_TIMEOUT_MS", "2000", "REDIS_TIMEOUT_MS", "2000")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("REDIS_WAIT_TIMEOUT_MS");
        assertThat(Settings.from(Map.of()).redisReplicaWait().replicas()).as("the default").isZero();
    }

    private static List<Long> sequences(ApiClient listener) {
        Reply audio = listener.get("/api/share/424242/audio?since=-1", "X-Listener-Id", "poller");
        assertThat(audio.status()).isEqualTo(200);
        return ApiTestBase.sequences(audio);
    }

    /** Waits until the master counts {@code count} replicas in sync with it. */
    private static void awaitReplicas(RedisServer master, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String connected = Resp.info(master.port(), "replication", "connected_slaves");
            if (!String.valueOf(count).equals(connected)) return false;
            return count == 0 || String.valueOf(Resp.info(master.port(), "replication", "slave0"))
                    .contains("state=online");
        });
    }
}
