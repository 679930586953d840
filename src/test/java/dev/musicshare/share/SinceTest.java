package dev.musicshare.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SinceTest {

    @Test
    void the_since_parameter_is_minus_one_or_a_sequence_number() {
        assertThat(Since.parse(null)).isEqualTo(Since.WHOLE_BUFFER);
        assertThat(Since.parse(" ")).isEqualTo(Since.WHOLE_BUFFER);
        assertThat(Since.parse("-1").value()).isEqualTo(-1);
        assertThat(Since.parse(" 42 ").value()).isEqualTo(42);
        for (String bad : new String[] {"abc", "1.5", "-2", "99999999999999999999"}) {
            assertThatThrownBy(() -> Since.parse(bad)).isInstanceOf(ShareException.class)
                    .hasMessage("since must be an integer: -1 (the whole buffer) or a sequence number, was \"" + bad
                            + "\"");
        }
    }

    @Test
    void a_usable_last_event_id_wins_over_since_and_anything_else_is_ignored() {
        assertThat(Since.forEventStream("-1", "2").value()).isEqualTo(2);
        assertThat(Since.forEventStream(null, "0").value()).isZero();
        assertThat(Since.forEventStream("5", null).value()).isEqualTo(5);
        assertThat(Since.forEventStream("5", "garbage").value()).isEqualTo(5);
        assertThat(Since.forEventStream(null, "-5")).isEqualTo(Since.WHOLE_BUFFER);
        assertThat(Since.forEventStream(null, "")).isEqualTo(Since.WHOLE_BUFFER);
    }
}
