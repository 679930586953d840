package dev.musicshare.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ShareStore} must do: sessions, limits under concurrency, lifetimes, metadata, listeners. Short
 * lifetimes let the Redis run wait for real TTLs briefly; the memory run only moves its clock.
 */
public abstract class ShareStoreContract extends StoreContract {
    protected static final StoreSettings SETTINGS = new StoreSettings(50, Duration.ofMillis(1_500), Duration.ofMillis(600), 50,
            Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(800), Duration.ofMillis(900),
            Duration.ofMillis(700));

    @BeforeEach
    void open() {
        store = createStore(SETTINGS);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void a_started_session_is_recorded_with_its_start_time() {
        assertThat(store.start("100001", null, now)).isEqualTo(StartOutcome.STARTED);
        SessionRecord record = store.session("100001", now).orElseThrow();
        assertThat(record.active()).isTrue();
        assertThat(record.startTime()).isEqualTo(now);
        assertThat(record.stoppedAt()).isZero();
        assertThat(record.bytesReceived()).isZero();
        assertThat(store.session("100002", now)).isEmpty();
    }

    @Test
    void an_active_id_is_in_use_but_a_stopped_one_may_start_again() {
        store.start("100001", null, now);
        assertThat(store.start("100001", null, now)).isEqualTo(StartOutcome.IN_USE);
        store.stop("100001", null, now);
        assertThat(store.start("100001", null, now)).isEqualTo(StartOutcome.STARTED);
        assertThat(store.session("100001", now).orElseThrow().active()).isTrue();
    }

    @Test
    void two_threads_starting_the_same_id_get_exactly_one_session() throws Exception {
        for (int round = 0; round < 20; round++) {
            String id = "2000" + String.format("%02d", round);
            List<StartOutcome> outcomes = concurrently(2, i -> store.start(id, null, now));
            assertThat(outcomes).containsExactlyInAnyOrder(StartOutcome.STARTED, StartOutcome.IN_USE);
        }
    }

    @Test
    void sixty_concurrent_starts_with_a_limit_of_fifty_start_exactly_fifty() throws Exception {
        List<StartOutcome> outcomes = concurrently(60, i -> store.start(String.valueOf(300_000 + i), null, now));
        assertThat(outcomes).filteredOn(StartOutcome.STARTED::equals).hasSize(50);
        assertThat(outcomes).filteredOn(StartOutcome.FULL::equals).hasSize(10);
        store.stop("300000", null, now);
        store.stop("300001", null, now);
        assertThat(store.start("399999", null, now)).isEqualTo(StartOutcome.STARTED);
    }

    @Test
    void metadata_replaces_the_previous_fields_and_expires() {
        store.start("100001", null, now);
        assertThat(store.putMetadata("100001", Map.of("title", "A", "lyrics", "la"), null, now))
                .isEqualTo(WriteOutcome.WRITTEN);
        store.putMetadata("100001", Map.of("title", "B"), null, now);
        assertThat(store.readMetadata("100001", null, now).fields()).isEqualTo(Map.of("title", "B"));
        advance(Duration.ofMillis(700)); // past the 600 ms metadata TTL, within the session's
        MetadataRead expired = store.readMetadata("100001", null, now);
        assertThat(expired.sessionFound()).isTrue();
        assertThat(expired.fields()).isEmpty();
        assertThat(store.readMetadata("999999", null, now)).isEqualTo(MetadataRead.NO_SESSION);
    }

    @Test
    void writes_to_a_missing_or_stopped_session_are_refused() {
        assertThat(store.putMetadata("100001", Map.of(), null, now)).isEqualTo(WriteOutcome.NOT_FOUND);
        assertThat(store.appendChunk("100001", chunk(0), 8, null, now).outcome()).isEqualTo(WriteOutcome.NOT_FOUND);
        store.start("100001", null, now);
        store.stop("100001", null, now);
        assertThat(store.putMetadata("100001", Map.of("title", "x"), null, now)).isEqualTo(WriteOutcome.NOT_ACTIVE);
        assertThat(store.appendChunk("100001", chunk(0), 8, null, now).outcome()).isEqualTo(WriteOutcome.NOT_ACTIVE);
    }

    @Test
    void chunks_count_their_bytes_and_read_back_byte_identical() {
        store.start("100001", null, now);
        store.appendChunk("100001", chunk(0), 8, null, now);
        store.appendChunk("100001", chunk(1), 16, null, now);
        SessionRecord record = store.session("100001", now).orElseThrow();
        assertThat(record.bytesReceived()).isEqualTo(24);
        assertThat(record.chunksReceived()).isEqualTo(2);
        List<BufferedChunk> read = store.readChunks("100001", -1, "l", now).orElseThrow();
        assertThat(read).extracting(BufferedChunk::sequenceNumber).containsExactly(0L, 1L);
        assertThat(read.get(1).json()).isEqualTo(chunk(1).json());
        assertThat(store.readChunks("999999", -1, "l", now)).isEmpty();
    }

    @Test
    void an_idle_session_expires_and_is_reported_once_while_writes_keep_it_alive() {
        store.start("100001", null, now);
        store.start("100002", null, now);
        advance(Duration.ofMillis(1_000));
        store.putMetadata("100002", Map.of("title", "alive"), null, now);
        assertThat(store.expireIdleSessions(now)).isEmpty();
        advance(Duration.ofMillis(600)); // 1.6 s idle for the first, 0.6 s for the second
        assertThat(store.session("100001", now)).isEmpty();
        assertThat(store.session("100002", now)).isPresent();
        assertThat(store.expireIdleSessions(now)).containsExactly("100001");
        assertThat(store.expireIdleSessions(now)).isEmpty();
        assertThat(store.start("100001", null, now)).isEqualTo(StartOutcome.STARTED);
    }

    @Test
    void stop_is_idempotent_and_the_session_is_gone_after_its_grace_period() {
        store.start("100001", null, now);
        store.appendChunk("100001", chunk(0), 8, null, now);
        long stoppedAt = now + 100;
        advance(Duration.ofMillis(100));
        SessionRecord stopped = store.stop("100001", null, now).record();
        assertThat(stopped.active()).isFalse();
        assertThat(stopped.stoppedAt()).isEqualTo(stoppedAt);
        assertThat(stopped.bytesReceived()).isEqualTo(8);
        advance(Duration.ofMillis(100));
        assertThat(store.stop("100001", null, now).record().stoppedAt()).isEqualTo(stoppedAt);
        assertThat(store.expireIdleSessions(now)).isEmpty(); // a stop is not an expiry
        advance(Duration.ofMillis(900));
        assertThat(store.session("100001", now)).isEmpty();
        assertThat(store.stop("100001", null, now).outcome()).isEqualTo(WriteOutcome.NOT_FOUND);
    }

    @Test
    void listeners_are_counted_once_each_within_the_window() {
        store.start("100001", null, now);
        store.readChunks("100001", -1, "a", now);
        store.readMetadata("100001", "a", now);
        store.readMetadata("100001", "b", now);
        store.readMetadata("100001", null, now); // a status check, not a listener
        assertThat(store.listenerCount("100001", now)).isEqualTo(2);
        advance(Duration.ofMillis(400));
        store.touchListeners("100001", List.of("c"), now);
        assertThat(store.listenerCount("100001", now)).isEqualTo(3);
        advance(Duration.ofMillis(400)); // a and b were last seen 800 ms ago: beyond the 700 ms window
        assertThat(store.listenerCount("100001", now)).isEqualTo(1);
        assertThat(store.stop("100001", null, now).record().peakListeners()).isEqualTo(3);
        assertThat(store.listenerCount("999999", now)).isZero();
    }

    @Test
    void a_presented_sender_key_must_be_the_sessions_own() {
        store.start("100001", "digest-of-the-key", now);
        assertThat(store.putMetadata("100001", Map.of("title", "x"), "someone-else", now))
                .isEqualTo(WriteOutcome.FORBIDDEN);
        assertThat(store.appendChunk("100001", chunk(0), 8, "someone-else", now).outcome())
                .isEqualTo(WriteOutcome.FORBIDDEN);
        assertThat(store.stop("100001", "someone-else", now).outcome()).isEqualTo(WriteOutcome.FORBIDDEN);
        assertThat(store.session("100001", now).orElseThrow().active()).isTrue();
        assertThat(store.readChunks("100001", -1, "l", now).orElseThrow()).isEmpty();
        assertThat(store.putMetadata("100001", Map.of("title", "x"), "digest-of-the-key", now))
                .isEqualTo(WriteOutcome.WRITTEN);
        assertThat(store.appendChunk("100001", chunk(0), 8, null, now).outcome()).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(store.stop("100001", "digest-of-the-key", now).outcome()).isEqualTo(WriteOutcome.WRITTEN);
    }

    protected static StoredChunk chunk(long sequence) {
        byte[] json = ("{\"sequenceNumber\":" + sequence + "}").getBytes(StandardCharsets.US_ASCII);
        return new StoredChunk(sequence, json, 1_000);
    }

    @Test
    void a_catch_up_reads_state_metadata_and_the_chunks_after_since_in_one_step_and_counts_the_listener() {
        assertThat(store.catchUp("100001", -1, "early", now).found()).isFalse();
        store.start("100001", null, now);
        store.putMetadata("100001", Map.of("title", "Song"), null, now);
        for (long sequence = 0; sequence < 4; sequence++) store.appendChunk("100001", chunk(sequence), 8, null, now);

        CatchUpRead read = store.catchUp("100001", 1, "pusher", now);
        assertThat(read.found()).isTrue();
        assertThat(read.active()).isTrue();
        assertThat(read.metadata()).containsEntry("title", "Song");
        assertThat(read.chunks()).extracting(StoredChunk::sequenceNumber).containsExactly(2L, 3L);
        assertThat(read.chunks().get(1).json()).isEqualTo(chunk(3).json());
        assertThat(read.released()).isEqualTo(3);
        assertThat(store.listenerCount("100001", now)).isEqualTo(1);

        store.stop("100001", null, now);
        CatchUpRead stopped = store.catchUp("100001", 3, null, now);
        assertThat(stopped.active()).isFalse();
        assertThat(stopped.chunks()).isEmpty();
        assertThat(stopped.released()).isEqualTo(3);
    }

    interface Attempt<T> {
        T run(int index) throws Exception;
    }

    /** Runs {@code count} attempts released at the same instant, one thread each. */
    static <T> List<T> concurrently(int count, Attempt<T> attempt) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(threads.submit((Callable<T>) () -> {
                    go.await();
                    return attempt.run(index);
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) results.add(future.get());
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
