package dev.musicshare.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Synced lyrics in LRC form ({@code [mm:ss.xx]text}, several tags per line allowed, {@code [offset:ms]}). */
public record LrcLyrics(List<Line> lines) {
    private static final Pattern TIME_TAG = Pattern.compile("\\[(\\d{1,3}):(\\d{1,2}(?:[.:]\\d{1,3})?)]");
    private static final Pattern OFFSET_TAG = Pattern.compile("(?i)^\\[offset:\\s*([+-]?\\d+)]$");

    public record Line(double seconds, String text) {}

    /** True when the text carries at least one LRC time tag. */
    public static boolean isSynced(String text) {
        return text != null && TIME_TAG.matcher(text).find();
    }

    public static LrcLyrics parse(String text) {
        List<Line> lines = new ArrayList<>();
        if (text == null) return new LrcLyrics(lines);
        double offset = 0;
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            Matcher offsetTag = OFFSET_TAG.matcher(line);
            if (offsetTag.matches()) {
                offset = -Long.parseLong(offsetTag.group(1)) / 1000.0; // positive offsets show lyrics sooner
                continue;
            }
            Matcher tag = TIME_TAG.matcher(line);
            List<Double> times = new ArrayList<>();
            int end = 0;
            while (tag.find() && tag.start() == end) {
                times.add(Integer.parseInt(tag.group(1)) * 60 + Double.parseDouble(tag.group(2).replace(':', '.')));
                end = tag.end();
            }
            String lyric = line.substring(end).strip();
            for (double time : times) lines.add(new Line(time, lyric));
        }
        lines.sort(Comparator.comparingDouble(Line::seconds));
        double shift = offset;
        return new LrcLyrics(lines.stream().map(l -> new Line(Math.max(0, l.seconds() + shift), l.text())).toList());
    }

    /** The index of the line sung at {@code seconds}, or -1 before the first. */
    public int lineAt(double seconds) {
        int found = -1;
        for (int low = 0, high = lines.size() - 1; low <= high; ) {
            int middle = (low + high) >>> 1;
            if (lines.get(middle).seconds() <= seconds) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }
}
