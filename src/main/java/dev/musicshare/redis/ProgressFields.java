package dev.musicshare.redis;

import dev.musicshare.lease.RecordingProgress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link RecordingProgress} as the fields of its Redis hash (readable with {@code HGETALL}); a null text field is
 * left out, a number unknown (NaN) is written {@code NaN}. Every report rewrites the whole hash in the one script call
 * it already makes, so a field more costs no round trip.
 */
final class ProgressFields {
    private ProgressFields() {}

    static Map<String, String> of(RecordingProgress progress) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("track", String.valueOf(progress.track()));
        fields.put("part", String.valueOf(progress.part()));
        fields.put("partStarted", String.valueOf(progress.partStarted()));
        if (progress.title() != null) fields.put("title", progress.title());
        if (progress.artist() != null) fields.put("artist", progress.artist());
        if (progress.fileId() != null) fields.put("fileId", progress.fileId());
        fields.put("bytes", String.valueOf(progress.bytes()));
        fields.put("startPresentationMillis", String.valueOf(progress.startPresentationMillis()));
        fields.put("startedAt", String.valueOf(progress.startedAt()));
        fields.put("missedSecondsBefore", String.valueOf(progress.missedSecondsBefore()));
        fields.put("songSecondsAtStart", String.valueOf(progress.songSecondsAtStart()));
        fields.put("lastSequence", String.valueOf(progress.lastSequence()));
        fields.put("endPresentationMillis", String.valueOf(progress.endPresentationMillis()));
        return fields;
    }

    /** @throws RuntimeException (NumberFormatException, NullPointerException) for a hash that is not a progress */
    static RecordingProgress read(Map<String, String> fields) {
        return new RecordingProgress(Integer.parseInt(fields.get("track")), Integer.parseInt(fields.get("part")),
                Boolean.parseBoolean(fields.get("partStarted")), fields.get("title"), fields.get("artist"),
                fields.get("fileId"), Long.parseLong(fields.get("bytes")),
                Double.parseDouble(fields.get("startPresentationMillis")), Long.parseLong(fields.get("startedAt")),
                Double.parseDouble(fields.get("missedSecondsBefore")), orNaN(fields.get("songSecondsAtStart")),
                Long.parseLong(fields.get("lastSequence")), Double.parseDouble(fields.get("endPresentationMillis")));
    }

    /** A field a node of an earlier version did not write reads as unknown. */
    private static double orNaN(String value) {
        return value == null ? Double.NaN : Double.parseDouble(value);
    }
}
