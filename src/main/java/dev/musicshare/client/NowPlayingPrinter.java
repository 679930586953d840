package dev.musicshare.client;

import dev.musicshare.lyrics.LrcLyrics;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;

/**
 * Prints what a listener hears: a line when the track changes, and (when asked) each synced lyric line as the audio
 * it belongs to arrives, timed on the sender's clock: the metadata's position plus the time since it was stamped.
 */
final class NowPlayingPrinter {
    private final Consumer<String> out;
    private final boolean printLyrics;
    private String trackKey;
    private JsonNode metadata;
    private LrcLyrics lyrics = LrcLyrics.parse(null);
    private int lyricLine = -1;

    NowPlayingPrinter(Consumer<String> out, boolean printLyrics) {
        this.out = out;
        this.printLyrics = printLyrics;
    }

    void metadata(JsonNode current) {
        String key = current.path("title").asText("") + "\u0000" + current.path("artist").asText("");
        if (!key.equals(trackKey)) {
            trackKey = key;
            out.accept("♪ " + current.path("title").asText("Unknown") + " — " + current.path("artist").asText(""));
        }
        JsonNode previous = metadata;
        metadata = current;
        if (previous == null || !previous.path("lyrics").equals(current.path("lyrics"))) {
            lyrics = current.path("hasSyncedLyrics").asBoolean(false)
                    ? LrcLyrics.parse(current.path("lyrics").asText(null)) : LrcLyrics.parse(null);
            lyricLine = -1;
        }
    }

    /** A chunk stamped {@code chunkTimestamp} (sender's clock, ms; 0: unstamped) arrived. */
    void audioAt(long chunkTimestamp) {
        if (!printLyrics || metadata == null || lyrics.lines().isEmpty() || chunkTimestamp == 0) return;
        double position = metadata.path("elapsedSeconds").asDouble()
                + (chunkTimestamp - metadata.path("timestamp").asLong(chunkTimestamp)) / 1000.0;
        int line = lyrics.lineAt(position);
        // A group sharing one time (an original and its translation) is printed whole.
        if (line != lyricLine) lyrics.groupAt(position).ifPresent(group -> lyrics.texts(group)
                .forEach(text -> out.accept("  " + text)));
        lyricLine = line;
    }
}
