package dev.musicshare.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.config.Settings;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.share.ListenerId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What one push connection writes, in order; the writers run inline so the test sees every write at once. */
class LiveConnectionTest {
    private final List<String> written = new ArrayList<>();
    private final LiveConnection connection = new LiveConnection("123456", new ListenerId("l"), -1,
            new PushResources(Settings.defaults().push(), Runnable::run, ShareMetrics.inMemory())) {
        @Override
        protected void write(LiveEvent event) {
            written.add(event.name() + " " + new String(event.json(), StandardCharsets.UTF_8));
        }

        @Override
        protected void closeTransport(String reason) {}
    };

    @Test
    void metadata_read_at_the_catch_up_seam_and_also_heard_live_is_written_once() {
        connection.offer(metadata("A")); // published after the listener subscribed, before its backlog was read
        connection.finishCatchUp(List.of(metadata("A"), LiveEvent.audio(0, chunk(0))));
        assertThat(written).containsExactly("metadata {\"title\":\"A\"}", "audio " + new String(chunk(0)));
    }

    @Test
    void only_a_repeat_of_the_metadata_just_written_is_left_out() {
        connection.finishCatchUp(List.of());
        for (String title : List.of("A", "A", "B", "A", "A")) connection.offer(metadata(title));
        assertThat(written).containsExactly("metadata {\"title\":\"A\"}", "metadata {\"title\":\"B\"}",
                "metadata {\"title\":\"A\"}");
    }

    @Test
    void audio_read_at_the_seam_and_heard_live_is_written_once_in_order() {
        connection.offer(LiveEvent.audio(1, chunk(1)));
        connection.offer(LiveEvent.audio(2, chunk(2)));
        connection.finishCatchUp(List.of(LiveEvent.audio(0, chunk(0)), LiveEvent.audio(1, chunk(1))));
        assertThat(written).extracting(line -> line.substring(line.lastIndexOf(':') + 1))
                .containsExactly("0}", "1}", "2}");
    }

    @Test
    void a_close_action_registered_after_the_connection_closed_runs_at_once() {
        List<String> ran = new ArrayList<>();
        connection.onClose(() -> ran.add("before"));
        connection.close("listener left");
        connection.onClose(() -> ran.add("after")); // e.g. Opus push subscribing a listener that just left
        assertThat(ran).containsExactly("before", "after");
    }

    private static LiveEvent metadata(String title) {
        return LiveEvent.of(LiveEvent.METADATA, ("{\"title\":\"" + title + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] chunk(long sequence) {
        return ("{\"data\":\"AAAA\",\"sequenceNumber\":" + sequence + "}").getBytes(StandardCharsets.US_ASCII);
    }
}
