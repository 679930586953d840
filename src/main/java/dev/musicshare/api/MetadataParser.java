package dev.musicshare.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.config.MetadataLimits;
import dev.musicshare.share.Metadata;

/**
 * Parses a metadata POST. Every field is optional; present ones must have the right JSON type and stay within the
 * configured lengths.
 */
final class MetadataParser {
    private MetadataParser() {}

    static Metadata parse(byte[] body, long receivedAt, MetadataLimits limits) {
        JsonNode json = JsonFields.parseObject(body);
        return new Metadata(
                within(JsonFields.optionalString(json, "title"), "title", limits.titleChars(), 400),
                within(JsonFields.optionalString(json, "artist"), "artist", limits.titleChars(), 400),
                within(JsonFields.optionalString(json, "lyrics"), "lyrics", limits.lyricsChars(), 413),
                JsonFields.optionalBoolean(json, "hasSyncedLyrics"),
                JsonFields.optionalNumber(json, "elapsedSeconds"),
                JsonFields.optionalNumber(json, "totalSeconds"),
                within(JsonFields.optionalString(json, "thumbnailData"), "thumbnailData", limits.thumbnailChars(), 413),
                JsonFields.optionalLong(json, "timestamp", receivedAt));
    }

    private static String within(String value, String field, int limit, int status) {
        if (value == null || value.length() <= limit) return value;
        String message = field + " is " + value.length() + " characters; the limit is " + limit;
        throw status == 413 ? new ApiException(413, "PAYLOAD_TOO_LARGE", message) : ApiException.badRequest(message);
    }
}
