package dev.musicshare.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamPacerTest {
    private static final long MS = 1_000_000L;
    private final StreamPacer pacer = new StreamPacer(1_000);

    @Test
    void nothing_is_added_before_any_audio() {
        assertThat(pacer.silenceNeeded(0, 60_000 * MS)).isZero();
    }

    @Test
    void a_stream_that_keeps_pace_gets_no_silence() {
        pacer.encoded(4_800, 100 * MS);
        for (long t = 200; t <= 5_000; t += 100) {
            pacer.encoded(48 * t, t * MS);
            assertThat(pacer.silenceNeeded(48 * t, t * MS)).isZero();
        }
    }

    @Test
    void a_pause_gets_silence_once_the_stream_is_more_than_the_allowed_lag_behind() {
        pacer.encoded(48_000, 1_000 * MS); // 1 s of audio by t = 1 s
        assertThat(pacer.silenceNeeded(48_000, 1_900 * MS)).isZero();
        assertThat(pacer.silenceNeeded(48_000, 2_500 * MS)).isEqualTo(24_000); // 1.5 s behind: 0.5 s of silence
    }

    @Test
    void audio_that_comes_late_after_the_silence_does_not_make_it_pay_twice() {
        pacer.encoded(48_000, 1_000 * MS);
        long afterSilence = 48_000 + pacer.silenceNeeded(48_000, 3_000 * MS); // 1 s of silence added
        assertThat(afterSilence).isEqualTo(96_000);
        // The sender's held-back 2 s arrive at once: the stream is ahead now, and the reference moves with it.
        pacer.encoded(afterSilence + 96_000, 3_100 * MS);
        assertThat(pacer.silenceNeeded(afterSilence + 96_000, 3_500 * MS)).isZero();
        assertThat(pacer.silenceNeeded(afterSilence + 96_000, 4_200 * MS)).isEqualTo(48 * 100);
    }

    @Test
    void a_stream_started_before_any_audio_gets_silence_after_the_allowance_and_its_first_audio_restarts_the_clock() {
        pacer.leadIn(0);
        assertThat(pacer.silenceNeeded(0, 900 * MS)).isZero();
        assertThat(pacer.silenceNeeded(0, 1_500 * MS)).isEqualTo(24_000); // as if the sender paused at the start
        pacer.encoded(24_000 + 4_800, 1_600 * MS); // the silence, then the first 100 ms of audio
        assertThat(pacer.inLeadIn()).isFalse();
        assertThat(pacer.silenceNeeded(28_800, 2_500 * MS)).as("the whole allowance again").isZero();
        assertThat(pacer.silenceNeeded(28_800, 2_700 * MS)).isEqualTo(48 * 100);
    }
}
