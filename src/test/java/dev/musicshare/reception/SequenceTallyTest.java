package dev.musicshare.reception;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The accounting the client's report and the load tool's figures rest on, on inputs whose answers are known. */
class SequenceTallyTest {

    @Test
    void the_tally_counts_lost_duplicated_and_out_of_order_chunks() {
        SequenceTally tally = new SequenceTally();
        for (long sequence : new long[] {0, 1, 3, 2, 3, 5}) tally.receive(sequence);
        assertThat(tally.received()).isEqualTo(6);
        assertThat(tally.highest()).isEqualTo(5);
        assertThat(tally.duplicates()).isEqualTo(1);   // 3 twice
        assertThat(tally.outOfOrder()).isEqualTo(1);   // 2 after 3 (a repeat of the highest is a duplicate only)
        assertThat(tally.lost(6)).isEqualTo(2);        // 4 and 6
    }

    @Test
    void gaps_are_the_ranges_skipped_when_a_later_chunk_arrived() {
        SequenceTally tally = new SequenceTally();
        assertThat(tally.receive(0)).isTrue();
        assertThat(tally.receive(3)).isTrue();
        assertThat(tally.receive(3)).isFalse();
        assertThat(tally.receive(9)).isTrue();
        assertThat(tally.gaps()).containsExactly(new long[] {1, 2}, new long[] {4, 8});
        assertThat(tally.missed()).isEqualTo(7);
    }

    @Test
    void a_listener_that_joins_late_has_lost_what_came_before() {
        SequenceTally tally = new SequenceTally();
        tally.receive(40);
        tally.receive(41);
        assertThat(tally.lost(41)).isEqualTo(40);
        assertThat(tally.lost(39)).isEqualTo(40);
        assertThat(tally.gaps()).containsExactly(new long[] {0, 39});
    }

    @Test
    void sequence_numbers_far_apart_do_not_cost_memory() {
        SequenceTally tally = new SequenceTally();
        tally.receive(0);
        assertThat(tally.receive((1L << 53) - 1)).isTrue();
        assertThat(tally.highest()).isEqualTo((1L << 53) - 1);
    }
}
