package dev.musicshare.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.codec.OggOpusWriter;
import dev.musicshare.codec.OpusFrame;
import dev.musicshare.codec.StreamTags;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Opus push events as a test receives them, and the Ogg Opus file they make, for ffmpeg to judge. */
public final class OpusPushStream {
    private OpusPushStream() {}

    /** The events' frames, in order. */
    public static List<OpusFrame> frames(List<PushEvent> audio) {
        List<OpusFrame> frames = new ArrayList<>();
        for (PushEvent event : audio) frames.addAll(frames(event));
        return frames;
    }

    public static List<OpusFrame> frames(PushEvent event) {
        List<OpusFrame> frames = new ArrayList<>();
        int samples = (int) (event.data().get("frameDurationMicros").asLong() * 48 / 1000);
        for (JsonNode frame : event.data().get("frames")) {
            frames.add(new OpusFrame(Base64.getDecoder().decode(frame.asText()), samples));
        }
        return frames;
    }

    /**
     * Wraps a whole stream's audio events (the first carrying the pre-skip, the last one flagged {@code last} with its
     * padding) into Ogg Opus, as RFC 7845 has a player read them.
     */
    public static byte[] toOgg(List<PushEvent> audio) {
        assertThat(audio).as("audio events").isNotEmpty();
        JsonNode first = audio.get(0).data();
        JsonNode last = audio.get(audio.size() - 1).data();
        assertThat(first.has("preSkip")).as("the stream's first event carries the pre-skip: " + first).isTrue();
        assertThat(last.path("last").asBoolean()).as("the stream's last frames come flagged last: " + last).isTrue();
        ByteArrayOutputStream ogg = new ByteArrayOutputStream();
        OggOpusWriter writer = new OggOpusWriter(ogg, 1, first.get("channels").asInt(), first.get("preSkip").asInt(),
                48_000, StreamTags.NONE);
        writer.writeFrames(frames(audio.subList(0, audio.size() - 1)));
        writer.finish(frames(audio.get(audio.size() - 1)), last.get("padding").asInt());
        return ogg.toByteArray();
    }
}
