package dev.musicshare.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChunkCacheTest {
    private static byte[] json(int size, char fill) {
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, (byte) fill);
        return bytes;
    }

    @Test
    void a_chunk_is_served_only_for_the_write_and_epoch_it_was_held_under() {
        ChunkCache cache = new ChunkCache(1_000);
        byte[] first = json(10, 'a');
        cache.put("s", "e1", 0, 1, first);
        assertThat(cache.get("s", "e1", 0, 1)).isSameAs(first);
        assertThat(cache.get("s", "e1", 0, 2)).as("a later write of the same sequence number").isNull();
        assertThat(cache.get("s", "e2", 0, 1)).as("the same id started again").isNull();
        assertThat(cache.get("other", "e1", 0, 1)).isNull();
        assertThat(cache.knownGeneration("s")).isEqualTo(1);
        assertThat(cache.knownGeneration("other")).isEqualTo(-1);

        byte[] replacement = json(12, 'b');
        cache.put("s", "e1", 0, 3, replacement);
        assertThat(cache.get("s", "e1", 0, 1)).isNull();
        assertThat(cache.get("s", "e1", 0, 3)).isSameAs(replacement);
        assertThat(cache.bytes()).isEqualTo(12);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void a_session_counts_as_written_here_only_once_this_node_wrote_a_chunk_of_it() {
        ChunkCache cache = new ChunkCache(1_000);
        cache.put("read", "e", 0, 1, json(1, 'a'));
        cache.putWritten("written", "e", 0, 1, json(1, 'a'));
        assertThat(cache.writtenHere("read")).isFalse();
        assertThat(cache.writtenHere("written")).isTrue();
        assertThat(cache.writtenHere("unknown")).isFalse();
        cache.put("written", "e2", 0, 1, json(1, 'b'));
        assertThat(cache.writtenHere("written")).as("a new life of the id, read here only").isFalse();
        cache.putWritten("off", "e", 0, 1, json(1, 'a'));
        cache.forget("off");
        assertThat(cache.writtenHere("off")).isFalse();
    }

    @Test
    void a_new_epoch_drops_what_the_session_held_before() {
        ChunkCache cache = new ChunkCache(1_000);
        cache.put("s", "e1", 0, 1, json(10, 'a'));
        cache.put("s", "e1", 1, 2, json(10, 'a'));
        cache.put("t", "x", 0, 1, json(10, 'a'));
        cache.put("s", "e2", 0, 1, json(7, 'b'));
        assertThat(cache.get("s", "e2", 1, 2)).isNull();
        assertThat(cache.knownGeneration("s")).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(17);
        cache.forget("s");
        assertThat(cache.knownGeneration("s")).isEqualTo(-1);
        assertThat(cache.bytes()).isEqualTo(10);
    }

    @Test
    void the_oldest_chunks_go_first_once_the_budget_is_reached() {
        ChunkCache cache = new ChunkCache(100);
        for (int sequence = 0; sequence < 10; sequence++) cache.put("s", "e", sequence, sequence + 1, json(30, 'a'));
        assertThat(cache.bytes()).isEqualTo(90);
        assertThat(cache.get("s", "e", 6, 7)).isNull();
        for (int sequence = 7; sequence < 10; sequence++) assertThat(cache.get("s", "e", sequence, sequence + 1)).isNotNull();
        assertThat(cache.knownGeneration("s")).as("still what Redis need not send: the node asks again if it lacks it")
                .isEqualTo(10);
    }

    @Test
    void a_disabled_cache_or_an_oversized_chunk_holds_nothing() {
        ChunkCache off = new ChunkCache(0);
        off.put("s", "e", 0, 1, json(1, 'a'));
        assertThat(off.get("s", "e", 0, 1)).isNull();
        assertThat(off.knownGeneration("s")).isEqualTo(-1);
        ChunkCache small = new ChunkCache(10);
        small.put("s", "e", 0, 1, json(11, 'a'));
        assertThat(small.bytes()).isZero();
        assertThat(small.knownGeneration("s")).isEqualTo(-1);
    }

    @Test
    void chunks_without_an_epoch_or_generation_are_not_held() {
        ChunkCache cache = new ChunkCache(1_000);
        cache.put("s", "", 0, 1, json(1, 'a'));
        cache.put("t", "e", 0, 0, json(1, 'a'));
        assertThat(cache.size()).isZero();
        assertThat(cache.knownGeneration("s")).isEqualTo(-1);
        assertThat(cache.knownGeneration("t")).isEqualTo(-1);
    }
}
