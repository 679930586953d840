package dev.musicshare.recording;

import java.util.regex.Pattern;

/**
 * One finished recording: a track of a session, or one part of it when the recording moved to another node midway.
 * The audio is {@code <id>.opus} (Ogg Opus, RFC 7845), the synced lyrics {@code <id>.lrc} when the track had them.
 *
 * @param id                  {@code <sessionId>-<session start, UTC yyyyMMddHHmmss>-<track>[-<part>]}, e.g.
 *                            {@code 123456-20261129130726-02}; a file name and a URL segment as it stands
 * @param sessionId           the session's six-digit code
 * @param sessionStartedAt    when the session started, epoch ms (with the code, it names the session)
 * @param track               the track's number in the session, from 1
 * @param part                1, or the part's number when another node took the recording over mid-track
 * @param title               TITLE, or null
 * @param artist              ARTIST, or null
 * @param startedAt           when the file's first sample was heard on the session's timeline, epoch ms
 * @param durationSeconds     playback length (pre-skip and end padding excluded, as RFC 7845 section 4 counts it)
 * @param bytes               size of the Ogg Opus file
 * @param hasLyrics           whether an {@code .lrc} lies beside it
 * @param missedSecondsBefore audio not recorded just before this part (the recording node died and another took
 *                            over); 0 for a first part
 */
public record Recording(String id, String sessionId, long sessionStartedAt, int track, int part, String title,
        String artist, long startedAt, double durationSeconds, long bytes, boolean hasLyrics,
        double missedSecondsBefore) {
    /** What a recording id looks like; anything else is refused before it reaches the file system. */
    public static final Pattern ID = Pattern.compile("[0-9]{6}-[0-9]{14}-[0-9]{2,4}(-[0-9]{1,3})?");

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The id of a track's part: the part number is left out for the first part. */
    static String idOf(String sessionId, long sessionStartedAt, int track, int part) {
        String start = java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(sessionStartedAt));
        return sessionId + "-" + start + "-" + String.format("%02d", track) + (part > 1 ? "-" + part : "");
    }
}
