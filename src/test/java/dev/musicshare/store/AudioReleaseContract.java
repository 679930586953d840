package dev.musicshare.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a store releases audio to listeners: in sequence order, holes waited on for the reorder window, late chunks
 * refused, the buffer capped by count and by duration. Run against every store.
 */
public abstract class AudioReleaseContract extends StoreContract {
    protected static final String ID = "424242";
    protected static final long WINDOW_MILLIS = 400;
    protected static final StoreSettings SETTINGS = new StoreSettings(10, Duration.ofMinutes(15), Duration.ofSeconds(30), 6,
            Duration.ofSeconds(3), Duration.ofMillis(WINDOW_MILLIS), Duration.ofSeconds(1), Duration.ofMinutes(5),
            Duration.ofSeconds(15));

    @BeforeEach
    void startSession() {
        store = createStore(SETTINGS);
        assertThat(store.start(ID, null, now)).isEqualTo(StartOutcome.STARTED);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void chunks_in_order_are_released_at_once() {
        for (long sequence = 0; sequence < 3; sequence++) {
            AppendResult result = append(sequence, 100);
            assertThat(result.buffered()).isTrue();
            assertThat(sequences(result.released())).containsExactly(sequence);
            assertThat(result.holdUntil()).isZero();
        }
        assertThat(read(-1)).containsExactly(0L, 1L, 2L);
    }

    @Test
    void chunks_after_a_hole_are_held_until_it_fills() {
        append(0, 100);
        AppendResult early = append(2, 100);
        assertThat(early.released()).isEmpty();
        assertThat(early.holdUntil()).isEqualTo(now + WINDOW_MILLIS);
        assertThat(read(0)).isEmpty();
        AppendResult filling = append(1, 100);
        assertThat(sequences(filling.released())).containsExactly(1L, 2L);
        assertThat(filling.holdUntil()).isZero();
        assertThat(read(0)).containsExactly(1L, 2L);
    }

    @Test
    void a_hole_is_skipped_after_the_window_and_its_chunk_is_then_refused_as_late() {
        append(0, 100);
        append(2, 100);
        append(3, 100);
        assertThat(store.releaseDue(ID, now).chunks()).isEmpty();
        advance(Duration.ofMillis(WINDOW_MILLIS));
        Released released = store.releaseDue(ID, now);
        assertThat(sequences(released.chunks())).containsExactly(2L, 3L);
        assertThat(released.holdUntil()).isZero();
        AppendResult late = append(1, 100);
        assertThat(late.buffered()).isFalse();
        assertThat(late.released()).isEmpty();
        assertThat(read(-1)).containsExactly(0L, 2L, 3L);
    }

    @Test
    void a_resent_released_chunk_replaces_the_stored_one_without_being_released_again() {
        append(0, 100);
        AppendResult resent = store.appendChunk(ID, chunk(0, 100, "again"), 8, null, now);
        assertThat(resent.buffered()).isTrue();
        assertThat(resent.released()).isEmpty();
        List<BufferedChunk> stored = store.readChunks(ID, -1, "l", now).orElseThrow();
        assertThat(new String(stored.get(0).json(), StandardCharsets.US_ASCII)).contains("again");
    }

    @Test
    void the_buffer_keeps_at_most_its_duration_of_audio() {
        for (long sequence = 0; sequence < 6; sequence++) append(sequence, 500);
        // 3 s cap, 0.5 s chunks: the newest 6 fit; one more pushes the oldest out.
        assertThat(read(-1)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        append(6, 500);
        assertThat(read(-1)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        append(7, 2_000); // 5 s in all: the oldest go until 3 s remain
        assertThat(read(-1)).containsExactly(5L, 6L, 7L);
        append(8, 5_000); // longer than the cap on its own: the newest chunk is always kept
        assertThat(read(-1)).containsExactly(8L);
    }

    @Test
    void the_buffer_keeps_at_most_its_count_of_chunks() {
        for (long sequence = 0; sequence < 10; sequence++) append(sequence, 10);
        assertThat(read(-1)).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void the_frontier_outlives_an_expired_buffer() {
        append(0, 100);
        append(1, 100);
        advance(Duration.ofMillis(1_100)); // the audio TTL runs out
        assertThat(read(-1)).isEmpty();
        AppendResult resumed = append(2, 100);
        assertThat(sequences(resumed.released())).containsExactly(2L);
    }

    @Test
    void a_stream_that_does_not_start_at_zero_is_released_after_the_window() {
        AppendResult first = append(7, 100);
        assertThat(first.released()).isEmpty();
        advance(Duration.ofMillis(WINDOW_MILLIS));
        assertThat(sequences(store.releaseDue(ID, now).chunks())).containsExactly(7L);
    }

    AppendResult append(long sequence, long durationMillis) {
        return store.appendChunk(ID, chunk(sequence, durationMillis, "x"), 8, null, now);
    }

    protected static StoredChunk chunk(long sequence, long durationMillis, String marker) {
        byte[] json = ("{\"marker\":\"" + marker + "\",\"sequenceNumber\":" + sequence + "}")
                .getBytes(StandardCharsets.US_ASCII);
        return new StoredChunk(sequence, json, durationMillis * 1000);
    }

    List<Long> read(long since) {
        List<Long> read = new ArrayList<>();
        for (BufferedChunk chunk : store.readChunks(ID, since, "listener", now).orElseThrow()) {
            String json = new String(chunk.json(), StandardCharsets.US_ASCII);
            assertThat(json).as("the JSON of chunk %d", chunk.sequenceNumber()).endsWith(":" + chunk.sequenceNumber() + "}");
            read.add(chunk.sequenceNumber());
        }
        return read;
    }

    static List<Long> sequences(List<StoredChunk> chunks) {
        return chunks.stream().map(StoredChunk::sequenceNumber).toList();
    }
}
