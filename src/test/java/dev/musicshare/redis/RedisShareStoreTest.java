package dev.musicshare.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.store.BufferedChunk;
import dev.musicshare.store.ShareStore;
import dev.musicshare.store.ShareStoreContract;
import dev.musicshare.store.StartOutcome;
import dev.musicshare.store.StoreSettings;
import dev.musicshare.store.StoreUnavailableException;
import dev.musicshare.store.StoredChunk;
import dev.musicshare.store.WriteOutcome;
import dev.musicshare.testing.RedisServer;
import dev.musicshare.testing.SharedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RedisShareStoreTest extends ShareStoreContract {
    @Override
    protected ShareStore createStore(StoreSettings settings) {
        return RedisTestStores.create(settings);
    }

    @Test
    void keys_follow_the_documented_layout_with_hash_tags_and_ttls() {
        store.start("123456", null, now);
        store.putMetadata("123456", Map.of("title", "T"), null, now);
        store.appendChunk("123456", chunk(0), 8, null, now);
        store.readChunks("123456", -1, "listener", now);
        RedisServer redis = SharedRedis.server();
        assertThat(redis.send("TYPE session:{123456}")).isEqualTo("+hash");
        assertThat(redis.send("TYPE session:{123456}:metadata")).isEqualTo("+hash");
        assertThat(redis.send("TYPE session:{123456}:audio")).isEqualTo("+zset");
        assertThat(redis.send("TYPE session:{123456}:listeners")).isEqualTo("+zset");
        assertThat(redis.send("TYPE sessions:live")).isEqualTo("+zset");
        assertThat(redis.send("HGET session:{123456} active")).isEqualTo("$4");
        assertTtlWithin(redis, "session:{123456}", SETTINGS.sessionTimeout());
        assertTtlWithin(redis, "session:{123456}:metadata", SETTINGS.metadataTtl());
        assertTtlWithin(redis, "session:{123456}:audio", SETTINGS.audioTtl());
        assertTtlWithin(redis, "session:{123456}:audio:index", SETTINGS.audioTtl());
        assertThat(redis.send("ZSCORE session:{123456}:audio:index 0:1000:1")).isEqualTo("$1");
        // A stopped session keeps its hash for the grace period only, and leaves the registry.
        store.stop("123456", null, now);
        assertTtlWithin(redis, "session:{123456}", SETTINGS.stopGrace());
        assertThat(redis.send("ZCARD sessions:live")).isEqualTo(":0");
    }

    @Test
    void two_stores_on_one_server_share_sessions_and_the_limit() {
        String url = SharedRedis.server().url();
        StoreSettings two = new StoreSettings(2, SETTINGS.sessionTimeout(), SETTINGS.metadataTtl(), 50,
                SETTINGS.audioBufferDuration(), SETTINGS.reorderWindow(), SETTINGS.audioTtl(), SETTINGS.stopGrace(),
                SETTINGS.listenerWindow());
        try (ShareStore first = RedisTestStores.open(url, two, Duration.ofSeconds(2));
                ShareStore second = RedisTestStores.open(url, two, Duration.ofSeconds(2))) {
            assertThat(first.start("700001", null, now)).isEqualTo(StartOutcome.STARTED);
            assertThat(second.start("700001", null, now)).isEqualTo(StartOutcome.IN_USE);
            assertThat(second.start("700002", null, now)).isEqualTo(StartOutcome.STARTED);
            assertThat(first.start("700003", null, now)).isEqualTo(StartOutcome.FULL);
            second.appendChunk("700001", chunk(0), 8, null, now);
            assertThat(first.readChunks("700001", -1, "l", now).orElseThrow()).hasSize(1);
        }
    }

    @Test
    void a_node_reads_an_unchanged_cover_from_redis_once() {
        String cover = "A".repeat(200_000);
        String newCover = "B".repeat(200_000);
        try (RedisServer own = RedisServer.start();
                ShareStore sender = RedisTestStores.open(own.url(), SETTINGS, Duration.ofSeconds(2));
                ShareStore reader = RedisTestStores.open(own.url(), SETTINGS, Duration.ofSeconds(2))) {
            sender.start("900001", null, now);
            sender.putMetadata("900001", Map.of("title", "T", "thumbnailData", cover, "thumbnailVersion", "v1"), null,
                    now);
            assertThat(reader.readMetadata("900001", "l", now).fields()).containsEntry("thumbnailData", cover);

            long before = netOutput(own);
            for (int i = 0; i < 5; i++) {
                assertThat(reader.readMetadata("900001", "l", now).fields()).containsEntry("thumbnailData", cover)
                        .containsEntry("title", "T");
            }
            assertThat(netOutput(own) - before).as("bytes Redis sent for five reads of an unchanged cover")
                    .isLessThan(20_000);

            // A changed cover is read in full, and a removed one is gone: the version decides, not the node.
            sender.putMetadata("900001", Map.of("title", "T", "thumbnailData", newCover, "thumbnailVersion", "v2"),
                    null, now);
            assertThat(reader.readMetadata("900001", "l", now).fields()).containsEntry("thumbnailData", newCover);
            sender.putMetadata("900001", Map.of("title", "T"), null, now);
            assertThat(reader.readMetadata("900001", "l", now).fields()).doesNotContainKey("thumbnailData");
        }
    }

    @Test
    void a_node_has_redis_send_it_each_chunk_once_however_many_listeners_poll() {
        ShareMetrics readerMetrics = ShareMetrics.inMemory();
        try (RedisServer own = RedisServer.start();
                ShareStore sender = RedisTestStores.open(own.url(), SETTINGS, Duration.ofSeconds(2));
                ShareStore reader = new RedisShareStore(RedisTestStores.options(own.url()), SETTINGS,
                        readerMetrics)) {
            sender.start("900002", null, now);
            List<String> written = appendLargeChunks(sender, "900002", 0, 5, 'a');

            long before = netOutput(own);
            assertThat(texts(reader.readChunks("900002", -1, "l0", now))).isEqualTo(written);
            assertThat(netOutput(own) - before).as("the first read on a node").isGreaterThan(500_000);

            before = netOutput(own);
            for (int listener = 1; listener <= 5; listener++) {
                assertThat(texts(reader.readChunks("900002", -1, "l" + listener, now))).isEqualTo(written);
                assertThat(texts(reader.readChunks("900002", 2, "l" + listener, now))).isEqualTo(written.subList(3, 5));
            }
            assertThat(netOutput(own) - before).as("bytes Redis sent for ten more reads of the same chunks")
                    .isLessThan(20_000);
            assertThat(readerMetrics.registry().get("musicshare.store.chunks.read").tag("source", "cache").counter()
                    .count()).isEqualTo(35);
            assertThat(listenerCount(reader, "900002")).isEqualTo(6);

            before = netOutput(own);
            assertThat(texts(sender.readChunks("900002", -1, "l0", now))).isEqualTo(written);
            assertThat(netOutput(own) - before).as("the writing node holds what it wrote").isLessThan(5_000);
        }
    }

    @Test
    void a_node_opens_the_configured_connections_and_closes_them() {
        try (RedisServer own = RedisServer.start()) {
            long before = connectedClients(own);
            try (ShareStore node = new RedisShareStore(new RedisOptions(own.url(), Duration.ofSeconds(2), 3, 0),
                    SETTINGS, ShareMetrics.inMemory())) {
                node.ping();
                assertThat(connectedClients(own) - before).isEqualTo(3);
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> connectedClients(own) == before);
        }
    }

    /** Clients connected, the asking one (a connection of its own per command) not counted. */
    private static long connectedClients(RedisServer redis) {
        String info = redis.sendBulk("INFO clients");
        return Long.parseLong(info.replaceAll("(?s).*connected_clients:(\\d+).*", "$1")) - 1;
    }

    @Test
    void a_chunk_written_again_on_another_node_is_never_served_from_memory() {
        try (RedisServer own = RedisServer.start();
                ShareStore sender = RedisTestStores.open(own.url(), SETTINGS, Duration.ofSeconds(2));
                ShareStore resender = RedisTestStores.open(own.url(), SETTINGS, Duration.ofSeconds(2));
                ShareStore reader = RedisTestStores.open(own.url(), SETTINGS, Duration.ofSeconds(2))) {
            sender.start("900003", null, now);
            List<String> first = appendLargeChunks(sender, "900003", 0, 3, 'a');
            assertThat(texts(reader.readChunks("900003", -1, "l", now))).isEqualTo(first);

            // Chunk 1 is written again elsewhere; then both nodes learn of a newer write (chunk 3) before anyone asks
            // for chunk 1 again, so Redis takes both to hold chunk 1 and names it without sending it.
            List<String> again = appendLargeChunks(resender, "900003", 1, 1, 'b');
            List<String> next = appendLargeChunks(sender, "900003", 3, 1, 'a');
            assertThat(texts(reader.readChunks("900003", 2, "l", now))).isEqualTo(next);
            List<String> expected = List.of(first.get(0), again.get(0), first.get(2), next.get(0));
            assertThat(texts(reader.readChunks("900003", -1, "l", now))).isEqualTo(expected);
            assertThat(texts(sender.readChunks("900003", -1, "l", now))).isEqualTo(expected);
        }
    }

    @Test
    void an_id_started_again_never_serves_chunks_of_its_earlier_life() {
        try (RedisServer own = RedisServer.start();
                ShareStore sender = RedisTestStores.open(own.url(), SETTINGS, Duration.ofSeconds(2));
                ShareStore reader = RedisTestStores.open(own.url(), SETTINGS, Duration.ofSeconds(2))) {
            sender.start("900004", null, now);
            List<String> earlier = appendLargeChunks(sender, "900004", 0, 2, 'a');
            assertThat(texts(reader.readChunks("900004", -1, "l", now))).isEqualTo(earlier);

            // Same id, same sequence numbers and the same write counts: only the epoch tells the two lives apart.
            sender.stop("900004", null, now);
            assertThat(sender.start("900004", null, now)).isEqualTo(StartOutcome.STARTED);
            List<String> later = appendLargeChunks(sender, "900004", 0, 2, 'c');
            assertThat(texts(reader.readChunks("900004", -1, "l", now))).isEqualTo(later);
        }
    }

    @Test
    void a_node_whose_memory_holds_less_than_the_buffer_still_reads_every_chunk_in_order() {
        // The contract's 800 ms audio TTL is about expiry; here a loaded machine must not expire the buffers mid-test.
        StoreSettings lasting = new StoreSettings(50, Duration.ofMinutes(15), Duration.ofSeconds(30), 50,
                Duration.ofSeconds(5), SETTINGS.reorderWindow(), Duration.ofMinutes(1), Duration.ofMinutes(5),
                Duration.ofSeconds(15));
        try (RedisServer own = RedisServer.start();
                ShareStore sender = RedisTestStores.open(own.url(), lasting, Duration.ofSeconds(2));
                ShareStore small = new RedisShareStore(
                        RedisTestStores.options(own.url()).withChunkCacheBytes(250_000), lasting, ShareMetrics.inMemory());
                ShareStore off = new RedisShareStore(
                        RedisTestStores.options(own.url()).withChunkCacheBytes(0), lasting, ShareMetrics.inMemory())) {
            sender.start("900005", null, now);
            List<String> written = appendLargeChunks(sender, "900005", 0, 6, 'a');
            // The writing node asks Redis for names only and fetches what its memory no longer holds.
            small.start("900006", null, now);
            List<String> writtenBySmall = appendLargeChunks(small, "900006", 0, 6, 'w');
            for (int read = 0; read < 3; read++) {
                assertThat(texts(small.readChunks("900006", -1, "l", now))).isEqualTo(writtenBySmall);
                assertThat(texts(small.readChunks("900006", 4, "l", now))).isEqualTo(writtenBySmall.subList(5, 6));
                assertThat(texts(small.readChunks("900005", -1, "l", now))).isEqualTo(written);
                assertThat(texts(small.readChunks("900005", 3, "l", now))).isEqualTo(written.subList(4, 6));
                assertThat(texts(off.readChunks("900005", 0, "l", now))).isEqualTo(written.subList(1, 6));
            }
        }
    }

    @Test
    void the_audio_script_publishes_each_released_chunk_once_in_release_order() throws Exception {
        RedisClient client = RedisClient.create(SharedRedis.server().url());
        BlockingQueue<byte[]> heard = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<byte[], byte[]> subscriber = client.connectPubSub(ByteArrayCodec.INSTANCE)) {
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] channel, byte[] message) {
                    heard.add(message);
                }
            });
            subscriber.sync().subscribe(EventCodec.channel("900010").getBytes(StandardCharsets.UTF_8));

            store.start("900010", null, now);
            store.appendChunk("900010", chunk(0), 8, null, now); // released at once
            store.appendChunk("900010", chunk(2), 8, null, now); // held: 1 is missing
            store.appendChunk("900010", chunk(1), 8, null, now); // releases 1 and 2
            store.appendChunk("900010", chunk(4), 8, null, now); // held until the reorder window passes
            assertThat(store.releaseDue("900010", now + SETTINGS.reorderWindow().toMillis()).chunks())
                    .extracting(StoredChunk::sequenceNumber).containsExactly(4L);

            List<String> messages = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                byte[] message = heard.poll(5, TimeUnit.SECONDS);
                assertThat(message).as("message " + i).isNotNull();
                assertThat(EventCodec.decode(message).sequenceNumber()).isEqualTo(List.of(0L, 1L, 2L, 4L).get(i));
                messages.add(new String(message, StandardCharsets.US_ASCII));
            }
            assertThat(messages).containsExactly(text(chunk(0)), text(chunk(1)), text(chunk(2)), text(chunk(4)));
            assertThat(heard.poll(200, TimeUnit.MILLISECONDS)).as("no chunk published twice").isNull();
        } finally {
            client.shutdown();
        }
    }

    private static String text(StoredChunk chunk) {
        return new String(chunk.json(), StandardCharsets.US_ASCII);
    }

    @Test
    void an_active_sender_keeps_moving_the_registry_deadline_a_second_at_a_time() {
        RedisServer redis = SharedRedis.server();
        long timeout = SETTINGS.sessionTimeout().toMillis();
        store.start("900030", null, now);
        store.appendChunk("900030", chunk(0), 8, null, now + 400);
        awaitRegistryDeadline(redis, "900030", now + 400 + timeout);
        store.appendChunk("900030", chunk(1), 8, null, now + 900); // within the second: not refreshed
        store.putMetadata("900030", Map.of("title", "T"), null, now + 1_300);
        store.appendChunk("900030", chunk(2), 8, null, now + 1_400);
        awaitRegistryDeadline(redis, "900030", now + 1_400 + timeout);
    }

    private static void awaitRegistryDeadline(RedisServer redis, String id, long expected) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                (long) Double.parseDouble(redis.sendBulk("ZSCORE sessions:live " + id))).isEqualTo(expected));
    }

    /** Appends {@code count} 100 KB chunks from {@code first} on, each filled with {@code fill}. */
    private List<String> appendLargeChunks(ShareStore node, String id, int first, int count, char fill) {
        List<String> written = new java.util.ArrayList<>();
        for (int sequence = first; sequence < first + count; sequence++) {
            String json = "{\"sequenceNumber\":" + sequence + ",\"data\":\"" + String.valueOf(fill).repeat(100_000)
                    + "\"}";
            assertThat(node.appendChunk(id, new StoredChunk(sequence, json.getBytes(StandardCharsets.US_ASCII), 1_000),
                    8, null, now).outcome()).isEqualTo(WriteOutcome.WRITTEN);
            written.add(json);
        }
        return written;
    }

    private static List<String> texts(java.util.Optional<List<BufferedChunk>> chunks) {
        return chunks.orElseThrow().stream().map(chunk -> new String(chunk.json(), StandardCharsets.US_ASCII)).toList();
    }

    private int listenerCount(ShareStore node, String id) {
        return node.listenerCount(id, now);
    }

    private static long netOutput(RedisServer redis) {
        String stats = redis.sendBulk("INFO stats");
        return stats.lines().filter(line -> line.startsWith("total_net_output_bytes:"))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip())).findFirst()
                .orElseThrow();
    }

    @Test
    void an_outage_fails_fast_and_the_same_store_recovers_when_redis_returns() {
        try (RedisServer own = RedisServer.start();
                ShareStore resilient = RedisTestStores.open(own.url(), SETTINGS, Duration.ofMillis(500))) {
            assertThat(resilient.start("800001", null, now)).isEqualTo(StartOutcome.STARTED);
            own.kill();
            for (Runnable call : List.<Runnable>of(() -> resilient.start("800002", null, now), resilient::ping,
                    () -> resilient.readChunks("800001", -1, "l", now))) {
                long began = System.nanoTime();
                org.assertj.core.api.Assertions.assertThatThrownBy(call::run)
                        .isInstanceOf(StoreUnavailableException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(3));
            }
            own.restart(); // empty, and without our scripts: they must be loaded again
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> resilient.start("800003", null, now) == StartOutcome.STARTED);
            // Commands take the connections in turn: every one of them must be back, not just the first.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                for (int i = 0; i < 2 * RedisTestStores.options(own.url()).connections(); i++) resilient.ping();
                return true;
            });
            for (int i = 0; i < 2 * RedisTestStores.options(own.url()).connections(); i++) {
                assertThat(resilient.appendChunk("800003", chunk(i), 8, null, now).outcome())
                        .isEqualTo(WriteOutcome.WRITTEN);
            }
        }
    }

    /**
     * A start cut short between its two steps, for real: Redis is paused for writes, so the reserve waits there, the
     * node gives up after its command timeout (503) and never sends the create; then the pause ends and Redis applies
     * the reserve anyway. The id and the slot must be free again once the reservation's short deadline passes, not
     * held for a whole session timeout (10 minutes here) by a session that does not exist.
     */
    @Test
    void a_start_cut_short_after_its_reserve_frees_the_id_and_the_slot_when_the_reservation_lapses() {
        StoreSettings oneSlot = tenMinuteSessions(1);
        Duration timeout = Duration.ofMillis(300);
        long lapsed = now + SessionRegistry.pendingMillis(timeout);
        try (RedisServer own = RedisServer.start();
                ShareStore node = RedisTestStores.open(own.url(), oneSlot, timeout)) {
            node.start("800009", null, now); // Redis has the scripts: the reserve itself is what waits
            node.stop("800009", null, now);
            assertThat(own.send("CLIENT PAUSE 1500 WRITE")).isEqualTo("+OK");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> node.start("800010", null, now))
                    .isInstanceOf(StoreUnavailableException.class);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> !own.send("ZSCORE sessions:live 800010").equals("$-1"));
            assertThat(own.send("EXISTS session:{800010}")).as("the create was never sent").isEqualTo(":0");

            // While it could still be a start in progress, the reservation holds the id and the slot ...
            assertThat(node.start("800010", null, lapsed - 1)).isEqualTo(StartOutcome.IN_USE);
            assertThat(node.start("800011", null, lapsed - 1)).isEqualTo(StartOutcome.FULL);
            // ... and from its deadline on, neither, and nothing counts it.
            assertThat(node.liveSessionCount(lapsed)).isZero();
            assertThat(node.start("800010", null, lapsed)).isEqualTo(StartOutcome.STARTED);
            assertThat(node.session("800010", lapsed).orElseThrow().active()).isTrue();
            assertThat(node.liveSessionCount(lapsed + Duration.ofMinutes(9).toMillis())).isEqualTo(1);
        }
    }

    private static StoreSettings tenMinuteSessions(int maxSessions) {
        return new StoreSettings(maxSessions, Duration.ofMinutes(10), SETTINGS.metadataTtl(), 50,
                SETTINGS.audioBufferDuration(), SETTINGS.reorderWindow(), SETTINGS.audioTtl(), SETTINGS.stopGrace(),
                SETTINGS.listenerWindow());
    }

    @Test
    void a_reservation_an_expiry_sweep_removed_is_not_confirmed_back_into_the_registry() {
        Duration timeout = Duration.ofSeconds(2);
        try (RedisCalls calls = new RedisCalls(RedisTestStores.options(SharedRedis.freshUrl()).withTimeout(timeout),
                ShareMetrics.inMemory())) {
            SessionRegistry registry = new SessionRegistry(calls, tenMinuteSessions(50), timeout);
            long lapsed = now + SessionRegistry.pendingMillis(timeout);
            assertThat(registry.reserve("800020", now)).isEqualTo(StartOutcome.STARTED);
            assertThat(registry.confirm("800020", now)).isTrue();
            assertThat(registry.liveIds(lapsed)).as("a confirmed start has a session's deadline")
                    .containsExactly("800020");

            assertThat(registry.reserve("800021", now)).isEqualTo(StartOutcome.STARTED);
            assertThat(registry.expire(lapsed).removedHere()).containsExactly("800021");
            assertThat(registry.confirm("800021", now)).as("a lapsed start must fail, not add its id").isFalse();
            assertThat(registry.liveIds(now)).containsExactly("800020");
        }
    }

    @Test
    void an_unchanged_cover_is_not_sent_to_redis_again_yet_always_reads_back() {
        String cover = "A".repeat(100_000);
        Map<String, String> fields = Map.of("title", "T", "thumbnailData", cover, "thumbnailVersion", "v1");
        store.start("123456", null, now);
        store.putMetadata("123456", fields, null, now);
        long before = netInput();
        store.putMetadata("123456", Map.of("title", "T2", "thumbnailData", cover, "thumbnailVersion", "v1"), null, now);
        assertThat(netInput() - before).as("bytes Redis received for a repeat").isLessThan(5_000);
        assertThat(store.readMetadata("123456", null, now).fields()).containsEntry("title", "T2")
                .containsEntry("thumbnailData", cover);

        // Another node changes the cover; this node's memory of it is stale and must not win.
        try (ShareStore other = RedisTestStores.open(SharedRedis.server().url(), SETTINGS, Duration.ofSeconds(2))) {
            other.putMetadata("123456", Map.of("title", "B", "thumbnailData", "BBBB", "thumbnailVersion", "v2"), null, now);
        }
        store.putMetadata("123456", fields, null, now);
        assertThat(store.readMetadata("123456", null, now).fields()).containsEntry("thumbnailData", cover)
                .containsEntry("thumbnailVersion", "v1");
        store.putMetadata("123456", Map.of("title", "no cover"), null, now);
        assertThat(store.readMetadata("123456", null, now).fields()).doesNotContainKey("thumbnailData");
    }

    private static long netInput() {
        RedisServer redis = SharedRedis.server();
        String info = redis.sendBulk("INFO stats");
        return Long.parseLong(info.replaceAll("(?s).*total_net_input_bytes:(\\d+).*", "$1"));
    }

    private static void assertTtlWithin(RedisServer redis, String key, Duration limit) {
        long ttl = Long.parseLong(redis.send("PTTL " + key).substring(1));
        assertThat(ttl).as("PTTL " + key).isPositive().isLessThanOrEqualTo(limit.toMillis());
    }
}
