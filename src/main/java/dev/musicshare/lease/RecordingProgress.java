package dev.musicshare.lease;

/**
 * How far a session's recording got, as its recorder reports it after each write: what a node taking the recording
 * over needs to continue the same track in a new part, to note the stretch nobody recorded, and to complete the file
 * the dead recorder left half written, its {@code .lrc} included.
 *
 * @param track                   the track being recorded (from 1)
 * @param part                    its part
 * @param partStarted             whether that part's file was created (a taker-over then starts part + 1)
 * @param title                   the track's TITLE, or null
 * @param artist                  its ARTIST, or null
 * @param fileId                  the recording id of the file being written ({@code <id>.opus.part} in
 *                                RECORDINGS_DIR), or null when none is open
 * @param bytes                   bytes of that file written so far: always the end of a whole Ogg page
 * @param startPresentationMillis the session timeline's time (epoch ms) of the open file's first sample; NaN
 * @param startedAt               the open file's {@code startedAt} (epoch ms)
 * @param missedSecondsBefore     the open file's {@code missedSecondsBefore}
 * @param songSecondsAtStart      how far into the song (seconds) the open file's first sample is, on the sender's
 *                                clock: what its {@code .lrc} is aligned by, so a node completing the file writes the
 *                                same lyrics its recorder would have (slightly negative for a file that starts
 *                                with the track's first chunk mid-stream); NaN when none is open (or not reported)
 * @param lastSequence            the last chunk whose audio is in a file (-1: none yet)
 * @param endPresentationMillis   the session timeline's time where the written audio ends (epoch ms); NaN: none yet
 */
public record RecordingProgress(int track, int part, boolean partStarted, String title, String artist, String fileId,
        long bytes, double startPresentationMillis, long startedAt, double missedSecondsBefore,
        double songSecondsAtStart, long lastSequence, double endPresentationMillis) {
    /** The part a node taking over records next: a new one if this one's file was begun. */
    public int nextPart() {
        return partStarted ? part + 1 : part;
    }
}
