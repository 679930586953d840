package dev.musicshare.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.live.PushQueue.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The queue policy on its own: order without repeats, the bounds, the gap on overflow, the end. */
class PushQueueTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    @Test
    void audio_at_or_below_the_last_queued_is_left_out() {
        PushQueue queue = new PushQueue(new LiveLimits(10, 1 << 20, 2, HEARTBEAT), 1);
        assertThat(queue.offer(audio(1))).isEqualTo(Outcome.LEFT_OUT); // the listener had it (since=1)
        assertThat(queue.offer(audio(2))).isEqualTo(Outcome.QUEUED);
        assertThat(queue.offer(audio(2))).isEqualTo(Outcome.LEFT_OUT);
        assertThat(queue.offer(audio(4))).isEqualTo(Outcome.QUEUED);
        assertThat(queue.offer(audio(3))).isEqualTo(Outcome.LEFT_OUT);
        assertThat(drain(queue)).containsExactly("audio 2", "gap 3-3", "audio 4");
    }

    @Test
    void a_chunk_that_skips_sequence_numbers_comes_after_a_gap_naming_them() {
        PushQueue queue = new PushQueue(new LiveLimits(10, 1 << 20, 2, HEARTBEAT), -1);
        for (long sequence : new long[] {5, 6, 9, 10}) queue.offer(audio(sequence));
        // since=-1 asked for whatever is held: nothing before the first chunk is owed
        assertThat(drain(queue)).containsExactly("audio 5", "audio 6", "gap 7-8", "audio 9", "audio 10");
    }

    @Test
    void a_gap_already_queued_accounts_for_what_it_names() {
        PushQueue queue = new PushQueue(new LiveLimits(10, 1 << 20, 2, HEARTBEAT), 1);
        queue.offer(LiveEvent.gap(2, 4)); // a catch-up's "no longer held"
        queue.offer(audio(5));
        queue.offer(audio(7));
        assertThat(drain(queue)).containsExactly("gap 2-4", "audio 5", "gap 6-6", "audio 7");
    }

    @Test
    void a_consumer_that_fills_holes_itself_is_not_told_of_skips() {
        PushQueue queue = new PushQueue(new LiveLimits(10, 1 << 20, 2, HEARTBEAT), -1, false);
        for (long sequence : new long[] {0, 3}) queue.offer(audio(sequence));
        assertThat(drain(queue)).containsExactly("audio 0", "audio 3");
    }

    @Test
    void an_overflow_and_a_skip_make_one_gap() {
        PushQueue queue = new PushQueue(new LiveLimits(2, 1 << 20, 2, HEARTBEAT), -1);
        queue.offer(audio(0));
        queue.offer(audio(1));
        queue.offer(audio(4));
        assertThat(drain(queue)).containsExactly("gap 0-3", "audio 4");
    }

    @Test
    void metadata_the_same_as_the_last_queued_is_left_out() {
        PushQueue queue = new PushQueue(new LiveLimits(10, 1 << 20, 2, HEARTBEAT), -1);
        for (String title : List.of("A", "A", "B", "A")) queue.offer(metadata(title));
        assertThat(drain(queue)).containsExactly("metadata A", "metadata B", "metadata A");
    }

    @Test
    void too_many_events_drop_the_queued_audio_for_one_gap_and_the_listener_continues_live() {
        PushQueue queue = new PushQueue(new LiveLimits(3, 1 << 20, 2, HEARTBEAT), -1);
        queue.offer(metadata("A"));
        queue.offer(audio(0));
        queue.offer(audio(1));
        assertThat(queue.offer(audio(2))).isEqualTo(Outcome.QUEUED);
        assertThat(drain(queue)).containsExactly("metadata A", "gap 0-1", "audio 2");
        assertThat(queue.bytes()).isZero();
    }

    @Test
    void too_many_bytes_overflow_as_too_many_events_do() {
        long twoChunks = 2L * audio(0).size();
        PushQueue queue = new PushQueue(new LiveLimits(100, twoChunks, 2, HEARTBEAT), -1);
        queue.offer(audio(0));
        queue.offer(audio(1));
        assertThat(queue.bytes()).isEqualTo(twoChunks);
        queue.offer(audio(2));
        assertThat(drain(queue)).containsExactly("gap 0-1", "audio 2");
    }

    @Test
    void an_overflow_with_no_audio_queued_names_the_chunks_skipped_before_the_incoming_one() {
        PushQueue queue = new PushQueue(new LiveLimits(2, 1 << 20, 2, HEARTBEAT), 4);
        queue.offer(metadata("A"));
        queue.offer(metadata("B"));
        queue.offer(audio(7));
        assertThat(drain(queue)).containsExactly("metadata A", "metadata B", "gap 5-6", "audio 7");
    }

    @Test
    void a_listener_that_overflows_once_too_often_is_too_slow_and_its_queue_emptied() {
        PushQueue queue = new PushQueue(new LiveLimits(1, 1 << 20, 2, HEARTBEAT), -1);
        long sequence = 0;
        queue.offer(audio(sequence++));
        for (int overflow = 1; overflow <= 2; overflow++) {
            assertThat(queue.offer(audio(sequence++))).as("overflow %d", overflow).isEqualTo(Outcome.QUEUED);
        }
        assertThat(queue.offer(audio(sequence))).isEqualTo(Outcome.TOO_SLOW);
        assertThat(queue.size()).isZero();
        assertThat(queue.bytes()).isZero();
    }

    @Test
    void after_the_end_what_was_queued_is_still_taken_and_nothing_more_is_queued() {
        PushQueue queue = new PushQueue(new LiveLimits(10, 1 << 20, 2, HEARTBEAT), -1);
        queue.offer(audio(0));
        queue.offer(LiveEvent.ended("stopped"));
        queue.end();
        assertThat(queue.offer(audio(1))).isEqualTo(Outcome.LEFT_OUT);
        assertThat(queue.drainedToEnd()).isFalse();
        assertThat(drain(queue)).containsExactly("audio 0", "ended");
        assertThat(queue.drainedToEnd()).isTrue();
    }

    private static List<String> drain(PushQueue queue) {
        List<String> taken = new ArrayList<>();
        for (LiveEvent event; (event = queue.poll()) != null; ) {
            String json = new String(event.json(), StandardCharsets.UTF_8);
            taken.add(switch (event.name()) {
                case "audio" -> "audio " + event.sequenceNumber();
                case "metadata" -> "metadata " + json.replaceAll(".*\"title\":\"([^\"]*)\".*", "$1");
                case "gap" -> "gap " + json.replaceAll(".*\"from\":(-?\\d+),\"to\":(-?\\d+).*", "$1-$2");
                default -> event.name();
            });
        }
        return taken;
    }

    private static LiveEvent audio(long sequence) {
        return LiveEvent.audio(sequence, ("{\"data\":\"AAAA\",\"sequenceNumber\":" + sequence + "}")
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static LiveEvent metadata(String title) {
        return LiveEvent.of(LiveEvent.METADATA, ("{\"title\":\"" + title + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
