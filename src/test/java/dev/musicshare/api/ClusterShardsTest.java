package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.PushEvent;
import dev.musicshare.testing.RedisCluster;
import dev.musicshare.testing.RedisServer;
import dev.musicshare.testing.Resp;
import dev.musicshare.testing.SseTestClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server on the 3-master test cluster (issue #16): sessions spread over the masters by their hash tag, the registry
 * lives on one, and a session's push events travel only within its own shard — sharded pub/sub, checked on the
 * Redis side with PUBSUB SHARDNUMSUB, CLIENT LIST and the cluster bus's message counters — and keep flowing when the
 * session's slot moves to another master or the node's subscribing connection is killed.
 */
@ParameterizedClass
@ValueSource(strings = {"cluster"})
class ClusterShardsTest extends ApiTestBase {
    private static final int SESSIONS = 50;

    @Override
    Map<String, String> extraEnvironment() {
        return Map.of("MAX_SESSIONS", "" + SESSIONS, "RATE_LIMIT_STARTS_PER_MINUTE", "0");
    }

    /**
     * A cluster's PING goes to one node of the client's choosing, so {@code /health} said nothing of the others: it
     * PINGs every master serving slots and names those that do not answer, still 200 — the node serves every other
     * shard's sessions, and every node sees the same cluster. The master is frozen for one health check only, well
     * within the cluster's node timeout, so it is not failed over.
     */
    @Test
    void health_names_a_master_that_does_not_answer_and_the_node_stays_in_service() {
        RedisCluster cluster = RedisCluster.shared();
        Settings settings = Settings.from(Map.of("REDIS_URL", cluster.url(), "REDIS_TIMEOUT_MS", "300", "PORT", "0",
                "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN", TOKEN, "HISTORY", "off"));
        try (MusicShareServer node = MusicShareServer.start(settings, Clock.systemUTC())) {
            ApiClient health = new ApiClient(node.port(), TOKEN).withAuthorization(null);
            assertThat(health.get("/health").json().get("status").asText()).isEqualTo("healthy");
            RedisServer frozen = cluster.masters().get(0);
            frozen.freeze();
            Reply degraded;
            try {
                degraded = health.get("/health");
            } finally {
                frozen.thaw();
            }
            assertThat(degraded.status()).isEqualTo(200);
            assertThat(degraded.json().get("status").asText()).isEqualTo("degraded");
            assertThat(degraded.json().get("unreachable")).extracting(JsonNode::asText)
                    .containsExactly("127.0.0.1:" + frozen.port());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> health.get("/health").json().get("status").asText().equals("healthy"));
        }
    }

    /**
     * A master answers PING while the cluster is down ({@code cluster_state:fail}: with Redis's default
     * {@code cluster-require-full-coverage yes}, any slot without a master) and then refuses every command on a key
     * with CLUSTERDOWN: {@code /health} answers 503 when no master serves, and names only the masters that do not
     * when the others do. Each master is made to drop one slot of its own from its view (CLUSTER DELSLOTS, which
     * puts that master alone in state fail, as a lost master does to every survivor), and takes it back afterwards.
     */
    @Test
    void health_answers_503_while_the_cluster_is_down_and_names_only_the_masters_that_cannot_serve() {
        RedisCluster cluster = RedisCluster.shared();
        Map<RedisServer, Long> ownSlot = new java.util.LinkedHashMap<>();
        for (long slot = 0; ownSlot.size() < cluster.masters().size(); slot += 997) {
            ownSlot.putIfAbsent(cluster.masterOfSlot(slot), slot);
        }
        Settings settings = Settings.from(Map.of("REDIS_URL", cluster.url(), "REDIS_TIMEOUT_MS", "300", "PORT", "0",
                "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN", TOKEN, "HISTORY", "off"));
        try (MusicShareServer node = MusicShareServer.start(settings, Clock.systemUTC())) {
            ApiClient health = new ApiClient(node.port(), TOKEN).withAuthorization(null);
            assertThat(health.get("/health").json().get("status").asText()).isEqualTo("healthy");
            ownSlot.forEach((master, slot) -> Resp.call(master.port(), "CLUSTER", "DELSLOTS", "" + slot));
            await().atMost(Duration.ofSeconds(5)).until(() -> health.get("/health").status() == 503);
            assertThat(health.get("/health").json().get("status").asText()).isEqualTo("unhealthy");

            RedisServer down = ownSlot.keySet().iterator().next();
            ownSlot.forEach((master, slot) -> {
                if (master != down) Resp.call(master.port(), "CLUSTER", "ADDSLOTS", "" + slot);
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> health.get("/health").status() == 200);
            Reply degraded = health.get("/health");
            assertThat(degraded.json().get("status").asText()).isEqualTo("degraded");
            assertThat(degraded.json().get("unreachable")).extracting(JsonNode::asText)
                    .containsExactly("127.0.0.1:" + down.port());
        } finally {
            ownSlot.forEach((master, slot) -> {
                if (!Resp.text(master.port(), "CLUSTER", "NODES").lines()
                        .anyMatch(line -> line.contains("myself") && ownsSlot(line, slot))) {
                    Resp.call(master.port(), "CLUSTER", "ADDSLOTS", "" + slot);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.nodes().stream()
                    .allMatch(each -> Resp.text(each.port(), "CLUSTER", "INFO").contains("cluster_state:ok")));
        }
    }

    @Test
    void fifty_sessions_land_on_at_least_two_masters_and_the_registry_counts_them_on_one() {
        RedisCluster cluster = RedisCluster.shared();
        Map<Integer, Integer> sessionsByMaster = new HashMap<>();
        for (int i = 0; i < SESSIONS; i++) {
            String id = "" + (100_000 + i * 17_389);
            expect(200, start(id));
            RedisServer master = cluster.masterOf("session:{" + id + "}");
            // The session's hash is on the master that owns its tag's slot; the others send the client there.
            assertThat(Resp.call(master.port(), "EXISTS", "session:{" + id + "}")).as(id).isEqualTo(1L);
            for (RedisServer other : cluster.masters()) {
                if (other == master) continue;
                assertThatThrownBy(() -> Resp.call(other.port(), "EXISTS", "session:{" + id + "}"))
                        .hasMessageStartingWith("MOVED");
            }
            sessionsByMaster.merge(master.port(), 1, Integer::sum);
        }
        assertThat(sessionsByMaster).as("sessions per master port").hasSizeGreaterThanOrEqualTo(2);
        assertThat(sessionsByMaster.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(SESSIONS);

        RedisServer registry = cluster.masterOf("sessions:live");
        assertThat(Resp.call(registry.port(), "ZCARD", "sessions:live")).isEqualTo((long) SESSIONS);
        // What spans sessions is read across the masters: the registry's ids, then each session's own hash.
        com.fasterxml.jackson.databind.JsonNode stats = expect(200, api.get("/api/admin/stats")).json();
        assertThat(stats.get("liveSessions").asInt()).isEqualTo(SESSIONS);
        assertThat(stats.get("sessions")).hasSize(SESSIONS);
        assertSenderError(expect(503, start("999999")), "Maximum number of sessions reached (" + SESSIONS
                + "); try again later", "SESSION_LIMIT_REACHED");
    }

    @Test
    void a_sessions_push_events_reach_only_subscribers_of_its_own_shard() {
        RedisCluster cluster = RedisCluster.shared();
        List<String> ids = onDifferentMasters(2);
        String first = ids.get(0);
        String second = ids.get(1);
        for (String id : ids) expect(200, start(id));
        try (SseTestClient listener = listen(first); SseTestClient other = listen(second)) {
            RedisServer firstMaster = cluster.masterOf("session:{" + first + "}");
            RedisServer secondMaster = cluster.masterOf("session:{" + second + "}");
            for (RedisServer master : cluster.masters()) {
                assertThat(shardSubscribers(master, first)).as("subscribers of " + first + " on " + master.port())
                        .isEqualTo(master == firstMaster ? 1L : 0L);
                assertThat(shardSubscribers(master, second)).as("subscribers of " + second + " on " + master.port())
                        .isEqualTo(master == secondMaster ? 1L : 0L);
                // This node's subscribing connection to that master holds sharded channels, and no plain ones.
                assertThat(clientsWith(master, "ssub")).as("clients with shard channels on " + master.port())
                        .isEqualTo(master == firstMaster || master == secondMaster ? 1 : 0);
                assertThat(clientsWith(master, "sub")).as("clients with plain channels on " + master.port()).isZero();
            }

            Map<Integer, Long> plainBefore = busMessages("cluster_stats_messages_publish_sent");
            Map<Integer, Long> shardBefore = busMessages("cluster_stats_messages_publishshard_sent");
            for (long sequence = 0; sequence < 5; sequence++) postChunk(first, sequence);
            api.postJson("/api/share/" + first + "/metadata", "{\"title\":\"Only here\"}");
            assertThat(listener.next(5, "audio")).extracting(PushEvent::sequenceNumber)
                    .containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(listener.next().data().get("title").asText()).isEqualTo("Only here");

            // The cluster bus carried the six events only from the session's master to its own replica: no plain
            // PUBLISH was broadcast to every node, and no other master forwarded anything.
            Map<Integer, Long> plainAfter = busMessages("cluster_stats_messages_publish_sent");
            Map<Integer, Long> shardAfter = busMessages("cluster_stats_messages_publishshard_sent");
            assertThat(plainAfter).isEqualTo(plainBefore);
            for (RedisServer node : cluster.nodes()) {
                long sent = shardAfter.get(node.port()) - shardBefore.get(node.port());
                if (node == firstMaster) assertThat(sent).as("sharded messages sent by its master").isEqualTo(6);
                else assertThat(sent).as("sharded messages sent by node " + node.port()).isZero();
            }
            postChunk(second, 0);
            assertThat(other.next().sequenceNumber()).as("the other session's own listener").isZero();
        }
    }

    @Test
    void a_listener_keeps_hearing_its_session_when_the_slot_moves_to_another_master() {
        RedisCluster cluster = RedisCluster.shared();
        String id = "424242";
        long slot = cluster.slotOf("session:{" + id + "}");
        RedisServer home = cluster.masterOfSlot(slot);
        RedisServer elsewhere = cluster.masters().stream().filter(master -> master != home).findFirst().orElseThrow();
        expect(200, start(id));
        try (SseTestClient listener = listen(id)) {
            postChunk(id, 0);
            assertThat(listener.next().sequenceNumber()).isZero();

            cluster.moveSlot(slot, elsewhere);
            // Redis ended the node's subscription on the old master; it subscribes again on the new one.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> shardSubscribers(elsewhere, id) == 1);
            assertThat(shardSubscribers(home, id)).isZero();
            for (long sequence = 1; sequence <= 3; sequence++) expect(200, postChunk(id, sequence));
            assertThat(listener.next(3, "audio")).extracting(PushEvent::sequenceNumber).containsExactly(1L, 2L, 3L);
            assertThat(Resp.call(elsewhere.port(), "EXISTS", "session:{" + id + "}")).isEqualTo(1L);
        } finally {
            cluster.moveSlot(slot, home);
        }
    }

    @Test
    void listeners_keep_hearing_their_sessions_after_the_nodes_subscriber_connection_is_killed() {
        // Two sessions in different slots of one master: Lettuce's own renewal of that connection's channels is one
        // SSUBSCRIBE, which Redis refuses across slots (CROSSSLOT); each must be subscribed again on its own.
        RedisCluster cluster = RedisCluster.shared();
        RedisServer master = cluster.masterOf("session:{300000}");
        List<String> ids = new java.util.ArrayList<>(List.of("300000"));
        for (int id = 300_001; ids.size() < 2; id++) {
            if (cluster.masterOf("session:{" + id + "}") == master) ids.add("" + id);
        }
        for (String id : ids) expect(200, start(id));
        try (SseTestClient first = listen(ids.get(0)); SseTestClient second = listen(ids.get(1))) {
            postChunk(ids.get(0), 0);
            postChunk(ids.get(1), 0);
            assertThat(first.next().sequenceNumber()).isZero();
            assertThat(second.next().sequenceNumber()).isZero();

            assertThat((Long) Resp.call(master.port(), "CLIENT", "KILL", "TYPE", "pubsub")).isPositive();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> shardSubscribers(master, ids.get(0)) == 1 && shardSubscribers(master, ids.get(1)) == 1);
            for (long sequence = 1; sequence <= 2; sequence++) {
                postChunk(ids.get(0), sequence);
                postChunk(ids.get(1), sequence);
            }
            assertThat(first.next(2, "audio")).extracting(PushEvent::sequenceNumber).containsExactly(1L, 2L);
            assertThat(second.next(2, "audio")).extracting(PushEvent::sequenceNumber).containsExactly(1L, 2L);
        }
    }

    private SseTestClient listen(String id) {
        return SseTestClient.open(server.port(), "/api/share/" + id + "/events", "Authorization", "Bearer " + TOKEN);
    }

    /** {@code count} session ids whose slots belong to as many different masters. */
    private static List<String> onDifferentMasters(int count) {
        Map<RedisServer, String> byMaster = new java.util.LinkedHashMap<>();
        for (int id = 200_000; byMaster.size() < count; id += 7_919) {
            byMaster.putIfAbsent(RedisCluster.shared().masterOf("session:{" + id + "}"), "" + id);
        }
        return List.copyOf(byMaster.values());
    }

    /** PUBSUB SHARDNUMSUB of the session's events channel, asked of one master (it counts its own clients). */
    private static long shardSubscribers(RedisServer master, String id) {
        List<?> reply = (List<?>) Resp.call(master.port(), "PUBSUB", "SHARDNUMSUB", "session:{" + id + "}:events");
        return (Long) reply.get(1);
    }

    /** How many of a master's clients hold subscriptions of a kind ({@code sub} plain, {@code ssub} sharded). */
    private static int clientsWith(RedisServer master, String field) {
        String clients = Resp.text(master.port(), "CLIENT", "LIST");
        return (int) clients.lines().filter(line -> !line.matches(".*\\b" + field + "=0\\b.*")).count();
    }

    /** Whether a CLUSTER NODES line lists {@code slot} among its slot ranges. */
    private static boolean ownsSlot(String line, long slot) {
        String[] fields = line.split(" ");
        for (int i = 8; i < fields.length; i++) {
            if (fields[i].startsWith("[")) continue;
            String[] bounds = fields[i].split("-");
            long from = Long.parseLong(bounds[0]);
            long to = bounds.length == 1 ? from : Long.parseLong(bounds[1]);
            if (slot >= from && slot <= to) return true;
        }
        return false;
    }

    /** A cluster bus counter from CLUSTER INFO, by node port. */
    private static Map<Integer, Long> busMessages(String counter) {
        return RedisCluster.shared().nodes().stream().collect(Collectors.toMap(RedisServer::port, node -> {
            for (String line : Resp.text(node.port(), "CLUSTER", "INFO").split("\r\n")) {
                if (line.startsWith(counter + ":")) return Long.parseLong(line.substring(counter.length() + 1));
            }
            return 0L;
        }));
    }
}
