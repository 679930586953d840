package dev.musicshare.opuspush;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.musicshare.codec.OpusFrame;
import dev.musicshare.codec.OpusStreamEncoder;
import dev.musicshare.config.Settings;
import dev.musicshare.live.LiveConnection;
import dev.musicshare.live.LiveEvent;
import dev.musicshare.live.PushCodec;
import dev.musicshare.live.PushResources;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.share.ListenerId;
import dev.musicshare.stream.OpusSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One session's Opus push listeners on a node: what a listener that joins, resumes or stays to the end is written,
 * with the encoder's calls made directly and the connection's writer running inline.
 */
class OpusPushChannelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OpusPushChannel channel = new OpusPushChannel("123456");

    @BeforeEach
    void encoderStarted() {
        channel.started(2, 312);
    }

    @Test
    void a_joining_listener_gets_the_recent_events_then_live_ones_and_ignores_the_hubs_pcm_audio() {
        encode(0);
        encode(1);
        Recorded listener = new Recorded(-1);
        channel.subscribe(listener, -1, List.of(LiveEvent.of(LiveEvent.METADATA, "{\"title\":\"A\"}".getBytes())));
        listener.offer(LiveEvent.audio(2, "{\"sequenceNumber\":2}".getBytes())); // PCM from the hub
        encode(2);
        assertThat(listener.names()).containsExactly("metadata", "audio", "audio", "audio");
        assertThat(listener.audio()).extracting(event -> event.get("sequenceNumber").asLong()).containsExactly(0L, 1L, 2L);
        assertThat(listener.audio().get(0).get("preSkip").asInt()).as("where the encoder's stream starts").isEqualTo(312);
        assertThat(listener.audio().get(1).has("preSkip")).isFalse();
        assertThat(listener.audio().get(1).get("frames")).hasSize(5);
        assertThat(listener.audio().get(1).get("presentationTime").asDouble()).isEqualTo(1_000_100.0 - 10.0 - 312 / 48.0);
        assertThat(listener.audio().get(1).get("leadMs").asDouble()).as("the remainder and the pre-skip")
                .isEqualTo(10.0 + 6.5);
    }

    @Test
    void resuming_from_further_back_than_the_recent_five_seconds_starts_with_a_gap() {
        for (int chunk = 0; chunk < 300; chunk++) encode(chunk);
        Recorded listener = new Recorded(10);
        channel.subscribe(listener, 10, List.of());
        assertThat(listener.events.get(0)).isEqualTo("gap {\"from\":11,\"to\":249}");
        assertThat(listener.audio()).extracting(event -> event.get("sequenceNumber").asLong()).first().isEqualTo(250L);
        assertThat(listener.audio()).hasSize(50);
    }

    @Test
    void a_listener_resuming_before_the_new_encoder_caught_up_hears_of_the_hole_before_its_first_event() {
        Recorded listener = new Recorded(41);
        channel.subscribe(listener, 41, List.of());
        encode(45);
        encode(46);
        assertThat(listener.events.get(0)).isEqualTo("gap {\"from\":42,\"to\":44}");
        assertThat(listener.audio()).extracting(event -> event.get("sequenceNumber").asLong()).containsExactly(45L, 46L);
    }

    @Test
    void chunks_the_overloaded_encoder_skipped_reach_listeners_as_a_gap_before_the_frames_that_follow() {
        Recorded listener = new Recorded(-1);
        channel.subscribe(listener, -1, List.of());
        encode(0);
        channel.skipped(1, 7);
        encode(8);
        assertThat(listener.events.get(1)).isEqualTo("gap {\"from\":1,\"to\":7}");
        assertThat(listener.audio()).extracting(event -> event.get("sequenceNumber").asLong()).containsExactly(0L, 8L);
    }

    @Test
    void the_end_sends_the_last_frames_then_the_hubs_ended_which_waited_for_them() {
        Recorded listener = new Recorded(-1);
        channel.subscribe(listener, -1, List.of());
        encode(0);
        listener.finish(LiveEvent.ended("expired")); // heard from the hub before the encoder has finished
        assertThat(listener.names()).containsExactly("audio");
        channel.ended(new OpusStreamEncoder.Ending(frames(2), 500));
        assertThat(listener.names()).containsExactly("audio", "audio", "ended");
        JsonNode last = listener.audio().get(1);
        assertThat(last.get("last").asBoolean()).isTrue();
        assertThat(last.get("padding").asInt()).isEqualTo(500);
        assertThat(last.has("sequenceNumber")).isFalse();
        assertThat(listener.events.get(2)).isEqualTo("ended {\"reason\":\"expired\"}");
        assertThat(listener.closed).isTrue();
    }

    @Test
    void an_encoder_that_breaks_off_asks_its_listeners_to_reconnect() {
        Recorded listener = new Recorded(-1);
        channel.subscribe(listener, -1, List.of());
        channel.ended(null);
        assertThat(listener.names()).containsExactly("reconnect");
    }

    /** A chunk of 100 ms: five 20 ms frames, starting 10 ms (480 samples) before the chunk, as a remainder does. */
    private void encode(long sequence) {
        channel.frames(frames(5), new OpusSink.Origin(sequence, 1_700_000_000_000L + sequence, 44_100, 2,
                1_000_000.0 + 100.0 * sequence, sequence == 0 ? 0 : 480, sequence == 0 ? 0 : sequence * 4_800 - 480));
    }

    private static List<OpusFrame> frames(int count) {
        List<OpusFrame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) frames.add(new OpusFrame(new byte[] {(byte) 0xfc, (byte) i}, 960));
        return frames;
    }

    /** An Opus push connection that records what it writes. */
    private static final class Recorded extends LiveConnection {
        final List<String> events = new ArrayList<>();
        boolean closed;

        Recorded(long since) {
            super("123456", new ListenerId("l"), since, new PushResources(Settings.defaults().push(), Runnable::run,
                    ShareMetrics.inMemory()), PushCodec.OPUS);
        }

        @Override
        protected void write(LiveEvent event) {
            events.add(event.name() + " " + new String(event.json()));
        }

        @Override
        protected void closeTransport(String reason) {
            closed = true;
        }

        List<String> names() {
            return events.stream().map(line -> line.substring(0, line.indexOf(' '))).toList();
        }

        List<JsonNode> audio() {
            return events.stream().filter(line -> line.startsWith("audio ")).map(line -> {
                try {
                    return JSON.readTree(line.substring(6));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
