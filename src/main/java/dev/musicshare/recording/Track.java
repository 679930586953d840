package dev.musicshare.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.musicshare.codec.StreamTags;
import java.io.IOException;
import java.util.Objects;

/**
 * What the sender said about the track being recorded: its tags, synced lyrics and where in the song it was when it
 * said so (sender's clock). A new recording file starts when title or artist change.
 *
 * @param elapsedSeconds    the song position in that metadata
 * @param metadataTimestamp the sender's clock when it sent it, epoch ms (0: unknown)
 */
record Track(String title, String artist, StreamTags tags, String lyrics, double elapsedSeconds,
        long metadataTimestamp) {
    static final Track UNTITLED = new Track(null, null, StreamTags.NONE, null, 0, 0);
    private static final ObjectMapper JSON = new ObjectMapper();

    boolean sameTrack(Track other) {
        return Objects.equals(title, other.title) && Objects.equals(artist, other.artist);
    }

    /** The track a metadata event (as push listeners get it) describes. */
    static Track parse(StreamTags tags, byte[] metadataJson) throws IOException {
        JsonNode metadata = JSON.readTree(metadataJson);
        String lyrics = metadata.path("lyrics").isTextual() ? metadata.path("lyrics").asText() : null;
        return new Track(text(metadata, "title"), text(metadata, "artist"), tags, lyrics,
                metadata.path("elapsedSeconds").asDouble(0), metadata.path("timestamp").asLong(0));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
