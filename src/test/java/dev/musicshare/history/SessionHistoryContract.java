package dev.musicshare.history;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.ApiClient.Reply;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Session history through the production wiring and real HTTP, on each database (the subclasses): what a session
 * leaves behind after a stop, an expiry and a server restart. History is written once a second off the request
 * path, so the tests wait for the record to appear rather than for a fixed time.
 */
abstract class SessionHistoryContract {
    static final String TOKEN = "history-test-token";
    /** 441 stereo float frames at 44.1 kHz: 10 ms and 3,528 decoded bytes per chunk. */
    static final int FRAMES = 441;
    static final int CHUNK_BYTES = FRAMES * 2 * 4;

    MusicShareServer server;
    ApiClient api;

    /** DATABASE_URL or HISTORY_DIR: the database this class runs on, empty for each test. */
    abstract Map<String, String> database();

    @AfterEach
    void stopServer() {
        if (server != null) server.close();
    }

    void startServer(Map<String, String> database, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN",
                TOKEN, "HISTORY_SAMPLE_SECONDS", "1"));
        env.putAll(database);
        env.putAll(extra);
        server = MusicShareServer.start(Settings.from(env), Clock.systemUTC());
        api = new ApiClient(server.port(), TOKEN);
    }

    @Test
    void a_stopped_session_leaves_its_figures_tracks_and_listener_series() {
        startServer(database(), Map.of());
        expect(200, api.postJson("/api/share/start", "{\"sessionId\":\"424242\"}"));
        metadata("424242", "First Song", "The Testers");
        sendChunks("424242", 0, 30);
        metadata("424242", "First Song", "The Testers"); // repeated every second by senders: not a new track
        metadata("424242", "Second Song", "The Testers");
        sendChunks("424242", 30, 50);
        Reply poll = expect(200, api.get("/api/share/424242/audio?since=-1", "X-Listener-Id", "listener-1"));
        int chunksPolled = poll.json().size();
        // Sampled once a second here. The poller keeps polling (204, nothing new to receive, so bytes out stay as
        // above) so that it stays a listener however late a loaded machine takes the first sample.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            expect(204, api.get("/api/share/424242/audio?since=49", "X-Listener-Id", "listener-1"));
            JsonNode live = onlySession(api.get("/api/admin/sessions"));
            return live != null && live.get("peakListeners").asInt() == 1;
        });
        expect(200, api.postEmpty("/api/share/424242/stop"));

        JsonNode record = awaitRecord(found -> "stopped".equals(found.path("endReason").asText(null)));
        assertThat(record.get("sessionId").asText()).isEqualTo("424242");
        assertThat(record.get("live").asBoolean()).isFalse();
        assertThat(record.get("chunksIn").asLong()).isEqualTo(50);
        assertThat(record.get("bytesIn").asLong()).isEqualTo(50L * CHUNK_BYTES);
        assertThat(record.get("audioSeconds").asDouble()).isCloseTo(0.5, within(1e-6));
        // The chunks' JSON as answered: the array minus its brackets and commas.
        assertThat(record.at("/bytesOut/pcm").asLong()).isEqualTo(poll.body().length - 1 - chunksPolled);
        assertThat(record.get("peakListeners").asInt()).isEqualTo(1);
        assertThat(record.get("averageListeners").asDouble()).isGreaterThan(0).isLessThanOrEqualTo(1);
        assertThat(record.get("listenerMinutes").asDouble()).isGreaterThan(0);
        assertThat(record.get("tracks").asInt()).isEqualTo(2);
        assertThat(record.get("durationSeconds").asDouble()).isGreaterThan(0);

        JsonNode detail = expect(200, api.get("/api/admin/sessions/" + record.get("id").asLong())).json();
        List<String> tracks = new ArrayList<>();
        detail.get("trackList").forEach(track -> tracks.add(track.get("title").asText() + " / "
                + track.get("artist").asText() + " / " + track.get("secondsPlayed").asDouble()));
        assertThat(tracks).containsExactly("First Song / The Testers / 0.3", "Second Song / The Testers / 0.2");
        JsonNode series = detail.get("listenerSeries");
        assertThat(series.size()).isGreaterThanOrEqualTo(1);
        series.forEach(sample -> assertThat(sample.get("listeners").asInt()).isBetween(0, 1));
        assertThat(series.findValuesAsText("at")).isSorted();

        Reply csv = expect(200, api.get("/api/admin/sessions?format=csv"));
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        String[] lines = csv.text().split("\r\n");
        assertThat(lines[0]).startsWith("id,sessionId,startedAt,endedAt,endReason,durationSeconds,chunksIn,bytesIn")
                .contains("bytesOut_pcm");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).contains(",424242,").contains(",stopped,").contains("," + 50L * CHUNK_BYTES + ",");
    }

    @Test
    void an_expired_session_is_recorded_as_expired() {
        startServer(database(), Map.of("SESSION_TIMEOUT_SECONDS", "1"));
        expect(200, api.postJson("/api/share/start", "{\"sessionId\":\"515151\"}"));
        sendChunks("515151", 0, 3);
        JsonNode record = awaitRecord(found -> "expired".equals(found.path("endReason").asText(null)));
        assertThat(record.get("chunksIn").asLong()).isEqualTo(3);
        assertThat(record.get("endedAt").asText()).isGreaterThan(record.get("startedAt").asText());
    }

    @Test
    void history_outlives_a_restart_and_a_session_the_restart_cut_short_is_interrupted() {
        Map<String, String> database = database();
        startServer(database, Map.of());
        expect(200, api.postJson("/api/share/start", "{\"sessionId\":\"616161\"}"));
        metadata("616161", "Kept Song", "Someone");
        sendChunks("616161", 0, 10);
        expect(200, api.postEmpty("/api/share/616161/stop"));
        expect(200, api.postJson("/api/share/start", "{\"sessionId\":\"727272\"}"));
        sendChunks("727272", 0, 4);
        server.close(); // the memory store's sessions end with the server

        startServer(database, Map.of());
        JsonNode page = expect(200, api.get("/api/admin/sessions")).json();
        assertThat(page.get("total").asLong()).isEqualTo(2);
        JsonNode cut = page.at("/sessions/0");
        JsonNode kept = page.at("/sessions/1");
        assertThat(cut.get("sessionId").asText()).isEqualTo("727272");
        assertThat(cut.get("endReason").asText()).isEqualTo("interrupted");
        assertThat(cut.get("chunksIn").asLong()).isEqualTo(4);
        assertThat(kept.get("sessionId").asText()).isEqualTo("616161");
        assertThat(kept.get("endReason").asText()).isEqualTo("stopped");
        JsonNode detail = expect(200, api.get("/api/admin/sessions/" + kept.get("id").asLong())).json();
        assertThat(detail.at("/trackList/0/title").asText()).isEqualTo("Kept Song");
        assertThat(detail.at("/trackList/0/secondsPlayed").asDouble()).isCloseTo(0.1, within(1e-6));
    }

    @Test
    void the_history_api_refuses_bad_requests_clearly_and_needs_the_token() {
        startServer(database(), Map.of());
        Reply badFrom = expect(400, api.get("/api/admin/sessions?from=yesterday"));
        assertThat(badFrom.json().get("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(badFrom.json().get("error").asText()).contains("from must be an ISO-8601 instant");
        expect(400, api.get("/api/admin/sessions?limit=0"));
        expect(400, api.get("/api/admin/sessions?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z"));
        expect(400, api.get("/api/admin/sessions?format=xml"));
        expect(400, api.get("/api/admin/sessions/abc"));
        assertThat(expect(404, api.get("/api/admin/sessions/999999")).json().get("code").asText())
                .isEqualTo("NOT_FOUND");
        expect(401, api.withAuthorization(null).get("/api/admin/sessions"));
        expect(401, api.withAuthorization("Bearer wrong").get("/api/admin/sessions/1"));
        JsonNode empty = expect(200, api.get("/api/admin/sessions?from=2026-01-01T00:00:00Z&to=1800000000000"))
                .json();
        assertThat(empty.get("total").asLong()).isZero();
        assertThat(empty.get("sessions").size()).isZero();
    }

    void metadata(String id, String title, String artist) {
        expect(200, api.postJson("/api/share/" + id + "/metadata",
                "{\"title\":\"" + title + "\",\"artist\":\"" + artist + "\"}"));
    }

    void sendChunks(String id, int from, int to) {
        for (int sequence = from; sequence < to; sequence++) {
            expect(200, api.postJson("/api/share/" + id + "/audio", chunkJson(sequence, FRAMES)));
        }
    }

    JsonNode awaitRecord(java.util.function.Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            found[0] = onlySession(api.get("/api/admin/sessions"));
            return found[0] != null && condition.test(found[0]);
        });
        return found[0];
    }

    static JsonNode onlySession(Reply page) {
        if (page.status() != 200) return null;
        JsonNode sessions = page.json().get("sessions");
        assertThat(sessions.size()).isLessThanOrEqualTo(1);
        return sessions.isEmpty() ? null : sessions.get(0);
    }

    static Reply expect(int status, Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        return reply;
    }
}
