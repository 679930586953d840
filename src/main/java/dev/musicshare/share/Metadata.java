package dev.musicshare.share;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What the sender is playing. Strings may be null (the desktop app sends {@code "lyrics": null} and
 * {@code "thumbnailData": null} routinely); flags and numbers always have a value, so strict clients can parse
 * them: false and 0 stand in for what the sender left out.
 *
 * @param title           track title
 * @param artist          track artist
 * @param lyrics          plain or LRC-synced lyrics
 * @param hasSyncedLyrics whether {@code lyrics} is in LRC form with timestamps
 * @param elapsedSeconds  playback position
 * @param totalSeconds    track length
 * @param thumbnailData   base64 cover art (JPEG)
 * @param timestamp       the sender's clock when it sent this, epoch millis
 */
public record Metadata(
        String title,
        String artist,
        String lyrics,
        boolean hasSyncedLyrics,
        double elapsedSeconds,
        double totalSeconds,
        String thumbnailData,
        long timestamp) {

    public Metadata {
        requireSeconds("elapsedSeconds", elapsedSeconds);
        requireSeconds("totalSeconds", totalSeconds);
    }

    /**
     * A short fingerprint of the cover art (null without one): it names the image in a cacheable URL, so listeners
     * fetch it once per change instead of with every update.
     */
    public String thumbnailVersion() {
        if (thumbnailData == null || thumbnailData.isEmpty()) return null;
        return Sha256.hex(thumbnailData.getBytes(StandardCharsets.US_ASCII), 8);
    }

    /**
     * The store's representation: one string per field, absent when null, plus the cover's version (a store may
     * use it to skip rewriting an unchanged cover).
     */
    public Map<String, String> toFields() {
        Map<String, String> fields = new HashMap<>();
        putIfPresent(fields, "title", title);
        putIfPresent(fields, "artist", artist);
        putIfPresent(fields, "lyrics", lyrics);
        fields.put("hasSyncedLyrics", Boolean.toString(hasSyncedLyrics));
        fields.put("elapsedSeconds", Double.toString(elapsedSeconds));
        fields.put("totalSeconds", Double.toString(totalSeconds));
        putIfPresent(fields, "thumbnailData", thumbnailData);
        putIfPresent(fields, "thumbnailVersion", thumbnailVersion());
        fields.put("timestamp", Long.toString(timestamp));
        return fields;
    }

    /** Rebuilds metadata from {@link #toFields()}; tolerant of missing fields, as a store may hold older data. */
    public static Metadata fromFields(Map<String, String> fields) {
        return new Metadata(
                fields.get("title"),
                fields.get("artist"),
                fields.get("lyrics"),
                Boolean.parseBoolean(fields.get("hasSyncedLyrics")),
                parseDouble(fields.get("elapsedSeconds")),
                parseDouble(fields.get("totalSeconds")),
                fields.get("thumbnailData"),
                parseLong(fields.get("timestamp")));
    }

    private static void requireSeconds(String name, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw ShareException.invalid(name + " must be a finite number of seconds, 0 or more, was " + value);
        }
    }

    private static void putIfPresent(Map<String, String> fields, String name, String value) {
        if (value != null) fields.put(name, value);
    }

    private static double parseDouble(String value) {
        return value == null ? 0 : Double.parseDouble(value);
    }

    private static long parseLong(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }
}
