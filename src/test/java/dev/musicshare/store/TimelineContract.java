package dev.musicshare.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session timeline ({@link SessionTimeline}) and listener names, the same on every store: presentation times
 * follow the chunks' own lengths to the microsecond and move only when the sender's clock or a stall says so.
 */
public abstract class TimelineContract {
    protected static final String ID = "515151";
    protected static final String KEY = "sender-key-digest";
    protected static final StoreSettings SETTINGS = new StoreSettings(10, Duration.ofMinutes(15), Duration.ofSeconds(30), 50,
            Duration.ofSeconds(5), Duration.ofMillis(400), Duration.ofSeconds(10), Duration.ofMinutes(5),
            Duration.ofSeconds(15));
    /** 4410 frames at 44.1 kHz. */
    protected static final long TENTH = 100_000;

    protected ShareStore store;
    protected final long startMillis = 1_800_000_000_000L;
    protected final long senderClock = 1_700_000_000_000L;

    protected abstract ShareStore createStore(StoreSettings settings);

    @BeforeEach
    void startSession() {
        store = createStore(SETTINGS);
        assertThat(store.start(ID, KEY, startMillis)).isEqualTo(StartOutcome.STARTED);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    long place(long sequence, long durationMicros, long senderMillis, long nowMicros) {
        TimelinePlacement placement = store.placeOnTimeline(ID, sequence, durationMicros, senderMillis, null, nowMicros);
        assertThat(placement.outcome()).isEqualTo(WriteOutcome.WRITTEN);
        return placement.presentationMicros();
    }

    @Test
    void chunks_follow_each_other_by_their_own_lengths_whatever_their_arrival() {
        long t0 = startMillis * 1000 + 123;
        assertThat(place(0, TENTH, senderClock, t0)).isEqualTo(t0);
        // arrival jitter of ±40 ms and odd lengths change nothing: only the samples count
        assertThat(place(1, 22_676, senderClock + 100, t0 + 140_000)).isEqualTo(t0 + TENTH);
        assertThat(place(2, TENTH, senderClock + 123, t0 + 90_000)).isEqualTo(t0 + TENTH + 22_676);
        // a resend of chunk 2 gets the same time and moves nothing
        assertThat(place(2, TENTH, senderClock + 123, t0 + 200_000)).isEqualTo(t0 + TENTH + 22_676);
        assertThat(place(3, TENTH, senderClock + 223, t0 + 230_000)).isEqualTo(t0 + 2 * TENTH + 22_676);
    }

    @Test
    void a_hole_is_taken_to_hold_chunks_as_long_as_the_next() {
        long t0 = startMillis * 1000;
        place(0, TENTH, senderClock, t0);
        // 1 and 2 never arrive
        assertThat(place(3, TENTH, senderClock + 300, t0 + 300_000)).isEqualTo(t0 + 3 * TENTH);
        assertThat(place(4, TENTH, senderClock + 400, t0 + 400_000)).isEqualTo(t0 + 4 * TENTH);
    }

    @Test
    void a_sender_clock_that_jumps_re_anchors_the_timeline_where_the_sender_says() {
        long t0 = startMillis * 1000;
        place(0, TENTH, senderClock, t0);
        place(1, TENTH, senderClock + 100, t0 + TENTH);
        // the sender paused for 3 s: its clock says so, the samples do not
        long resumed = place(2, TENTH, senderClock + 3_200, t0 + 3_200_000);
        assertThat(resumed).isEqualTo(t0 + 3_200_000);
        assertThat(place(3, TENTH, senderClock + 3_300, t0 + 3_310_000)).isEqualTo(resumed + TENTH);
        // drift within the limit is left alone: the samples win
        assertThat(place(4, TENTH, senderClock + 3_550, t0 + 3_400_000)).isEqualTo(resumed + 2 * TENTH);
    }

    @Test
    void a_chunk_far_later_than_its_time_starts_a_fresh_anchor_at_its_arrival() {
        long t0 = startMillis * 1000;
        place(0, TENTH, senderClock, t0);
        // a sender that stalled 2 s without its clock showing it
        long late = t0 + 2_100_000;
        assertThat(place(1, TENTH, senderClock + 100, late)).isEqualTo(late);
        assertThat(place(2, TENTH, senderClock + 200, late + 50_000)).isEqualTo(late + TENTH);
    }

    @Test
    void a_stall_s_delay_is_given_back_once_the_sender_is_live_again_not_during_its_burst() {
        long t0 = startMillis * 1000;
        place(0, TENTH, senderClock, t0);
        // chunks 1-10 were held up for a second, then arrive in one burst
        long stalled = t0 + 1_050_000;
        assertThat(place(1, TENTH, senderClock + 100, stalled)).isEqualTo(stalled);
        for (int sequence = 2; sequence <= 10; sequence++) {
            assertThat(place(sequence, TENTH, senderClock + 100L * sequence, stalled + 1_000L * sequence))
                    .isEqualTo(stalled + (sequence - 1) * TENTH);
        }
        // the sender is live again: its next chunks arrive at the pace of real time, far before their place
        assertThat(place(11, TENTH, senderClock + 1_100, t0 + 1_100_000)).isEqualTo(stalled + 10 * TENTH);
        long live = t0 + 1_200_000;
        assertThat(place(12, TENTH, senderClock + 1_200, live)).isEqualTo(live);
        assertThat(place(13, TENTH, senderClock + 1_300, live + 100_000)).isEqualTo(live + TENTH);
    }

    @Test
    void a_write_the_session_refuses_moves_nothing() {
        long t0 = startMillis * 1000;
        place(0, TENTH, senderClock, t0);
        assertThat(store.placeOnTimeline(ID, 1, TENTH, senderClock + 5_000, "wrong", t0 + TENTH).outcome())
                .isEqualTo(WriteOutcome.FORBIDDEN);
        assertThat(store.placeOnTimeline("999999", 0, TENTH, senderClock, null, t0).outcome())
                .isEqualTo(WriteOutcome.NOT_FOUND);
        assertThat(store.placeOnTimeline(ID, 1, TENTH, senderClock + 100, KEY, t0 + TENTH).presentationMicros())
                .isEqualTo(t0 + TENTH);
        store.stop(ID, null, startMillis + 1);
        assertThat(store.placeOnTimeline(ID, 2, TENTH, senderClock + 200, null, t0 + 2 * TENTH).outcome())
                .isEqualTo(WriteOutcome.NOT_ACTIVE);
    }

    @Test
    void listener_names_are_those_of_listeners_there_now() {
        long now = startMillis + 10;
        store.touchListeners(ID, List.of("id:a", "id:b", "id:c"), now);
        store.nameListeners(ID, Map.of("id:a", "Alice", "id:b", "Bob", "id:gone", "Ghost"), now);
        assertThat(store.listenerNames(ID, now)).containsExactlyInAnyOrder("Alice", "Bob");
        assertThat(store.listenerCount(ID, now)).isEqualTo(3);
        assertThat(store.listenerNames(ID, now + SETTINGS.listenerWindow().toMillis() + 1)).isEmpty();
        assertThat(store.listenerNames("999999", now)).isEmpty();
    }
}
