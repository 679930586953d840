package dev.musicshare.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.MusicShareServer;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.RedisServer;
import dev.musicshare.testing.PostgresServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Session history on PostgreSQL (DATABASE_URL), on a server this class starts from Debian's binaries; each test gets
 * an empty database. Also: the database going away mid-session changes nothing for senders and listeners, and
 * history catches up when it is back; and two nodes sharing Redis and the database write one record.
 */
class PostgresSessionHistoryTest extends SessionHistoryContract {
    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) postgres.close();
    }

    @Override
    Map<String, String> database() {
        return Map.of("DATABASE_URL", postgres.freshDatabaseUrl());
    }

    @Test
    void the_database_going_down_mid_session_leaves_the_relay_untouched_and_history_catches_up() {
        startServer(database(), Map.of());
        expect(200, api.postJson("/api/share/start", "{\"sessionId\":\"838383\"}"));
        metadata("838383", "Before", "The Outage");
        sendChunks("838383", 0, 10);
        awaitRecord(record -> record.get("chunksIn").asLong() == 10);

        postgres.stopServer();
        try {
            List<Integer> statuses = new ArrayList<>();
            for (int sequence = 10; sequence < 40; sequence++) {
                statuses.add(api.postJson("/api/share/838383/audio", chunkJson(sequence)).status());
                if (sequence == 20) {
                    statuses.add(api.postJson("/api/share/838383/metadata",
                            "{\"title\":\"During\",\"artist\":\"The Outage\"}").status());
                }
            }
            assertThat(statuses).as("every sender request while the database is down").containsOnly(200);
            Reply poll = expect(200, api.get("/api/share/838383/audio?since=29"));
            assertThat(poll.json().size()).isEqualTo(10);
            assertThat(expect(200, api.get("/health")).json().get("status").asText()).isEqualTo("healthy");
            Reply history = expect(503, api.get("/api/admin/sessions"));
            assertThat(history.json().get("code").asText()).isEqualTo("HISTORY_UNAVAILABLE");
        } finally {
            postgres.startServer();
        }

        JsonNode record = awaitRecord(caughtUp -> caughtUp.get("chunksIn").asLong() == 40);
        expect(200, api.postEmpty("/api/share/838383/stop"));
        record = awaitRecord(stopped -> "stopped".equals(stopped.path("endReason").asText(null)));
        assertThat(record.get("bytesIn").asLong()).isEqualTo(40L * CHUNK_BYTES);
        JsonNode detail = expect(200, api.get("/api/admin/sessions/" + record.get("id").asLong())).json();
        assertThat(detail.get("trackList").findValuesAsText("title")).containsExactly("Before", "During");
        assertThat(detail.at("/trackList/0/secondsPlayed").asDouble() + detail.at("/trackList/1/secondsPlayed")
                .asDouble()).isEqualTo(0.4, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void two_nodes_on_one_redis_write_one_record_between_them() {
        String databaseUrl = postgres.freshDatabaseUrl();
        try (RedisServer redis = RedisServer.start()) {
            // A generous Redis timeout: on a busy build machine the first connection can take seconds.
            Map<String, String> shared = Map.of("DATABASE_URL", databaseUrl, "REDIS_URL", redis.url(),
                    "REDIS_TIMEOUT_MS", "10000");
            startServer(shared, Map.of());
            MusicShareServer first = server;
            ApiClient firstApi = api;
            startServer(shared, Map.of());
            try {
                expect(200, firstApi.postJson("/api/share/start", "{\"sessionId\":\"949494\"}"));
                expect(200, firstApi.postJson("/api/share/949494/metadata", "{\"title\":\"Shared\",\"artist\":\"Nodes\"}"));
                for (int sequence = 0; sequence < 20; sequence++) {
                    expect(200, (sequence % 2 == 0 ? firstApi : api).postJson("/api/share/949494/audio",
                            chunkJson(sequence)));
                }
                metadata("949494", "Second Node's Song", "Nodes");
                sendChunks("949494", 20, 30);
                expect(200, api.postEmpty("/api/share/949494/stop"));
                JsonNode record = awaitRecord(found -> "stopped".equals(found.path("endReason").asText(null))
                        && found.get("chunksIn").asLong() == 30);
                assertThat(record.get("bytesIn").asLong()).isEqualTo(30L * CHUNK_BYTES);
                JsonNode detail = expect(200, api.get("/api/admin/sessions/" + record.get("id").asLong())).json();
                assertThat(detail.get("trackList").findValuesAsText("title")).containsExactly("Shared",
                        "Second Node's Song");
                assertThat(record.get("audioSeconds").asDouble()).isCloseTo(0.3, within(1e-6));
                // Each node credits the audio it received to the newest track the database holds when it writes,
                // so around a change a second's audio may go to a neighbouring track (or to none before the first).
                assertThat(detail.at("/trackList/0/secondsPlayed").asDouble()
                        + detail.at("/trackList/1/secondsPlayed").asDouble()).isLessThanOrEqualTo(0.3 + 1e-6);
                // Both nodes sample every live session; the database keeps one sample per interval.
                List<String> sampled = detail.get("listenerSeries").findValuesAsText("at");
                assertThat(sampled).doesNotHaveDuplicates();
            } finally {
                first.close();
            }
        }
    }

    private static String chunkJson(int sequence) {
        return dev.musicshare.testing.AudioSamples.chunkJson(sequence, FRAMES);
    }

}
