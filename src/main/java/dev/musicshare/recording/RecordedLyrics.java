package dev.musicshare.recording;

import dev.musicshare.lyrics.LrcLyrics;
import java.util.List;

/**
 * The {@code .lrc} written beside a recording: the sender's synced lyrics moved onto the file's own clock, so a
 * player that opens both shows each line when its words are heard. The song may have been under way when the file
 * started (a recording taken over mid-track, a session started mid-song): a line at song time {@code t} is then at
 * {@code t - songSecondsAtStart}, and the line that was current at the file's start shows from 0.
 */
final class RecordedLyrics {
    private RecordedLyrics() {}

    /**
     * @param lyrics             the sender's LRC text (plain lyrics have no times and give no file)
     * @param songSecondsAtStart how far into the song the file's first sample is; negative when the file starts
     *                           before the song (a file's first frame may hold the end of the track before)
     * @return the LRC text, or null when there are no synced lines
     */
    static String forFile(String lyrics, double songSecondsAtStart, String title, String artist) {
        if (!LrcLyrics.isSynced(lyrics)) return null;
        List<LrcLyrics.Line> lines = LrcLyrics.parse(lyrics).lines();
        if (lines.isEmpty()) return null;
        StringBuilder lrc = new StringBuilder();
        if (title != null) lrc.append("[ti:").append(oneLine(title)).append("]\n");
        if (artist != null) lrc.append("[ar:").append(oneLine(artist)).append("]\n");
        // Lines before the start: only the one (or ones sharing its time) still current at the start is kept, at 0.
        double lastBeforeStart = Double.NEGATIVE_INFINITY;
        for (LrcLyrics.Line line : lines) {
            if (line.seconds() < songSecondsAtStart) lastBeforeStart = line.seconds();
        }
        for (LrcLyrics.Line line : lines) {
            if (line.seconds() < lastBeforeStart) continue;
            lrc.append(time(Math.max(0, line.seconds() - songSecondsAtStart))).append(line.text()).append('\n');
        }
        return lrc.toString();
    }

    /** {@code [mm:ss.xx]}, hundredths as LRC writes them. */
    static String time(double seconds) {
        long hundredths = Math.round(seconds * 100);
        return String.format("[%02d:%02d.%02d]", hundredths / 6000, hundredths / 100 % 60, hundredths % 100);
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\]]", " ");
    }
}
