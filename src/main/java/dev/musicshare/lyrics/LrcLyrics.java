package dev.musicshare.lyrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Synced lyrics in LRC form: {@code [mm:ss.xx]text}, several leading time tags per line (with or without spaces
 * between them), {@code [offset:ms]}; other ID tags ({@code [ar:]}, {@code [ti:]}, …) are ignored. Markup after the
 * leading tags (enhanced-LRC word tags {@code <mm:ss.xx>}, a time tag inside the text) is removed from the words, and
 * a byte-order mark is not text. The listener page's {@code web/assets/lyrics.js} follows the same rules; both are
 * run against one table of cases ({@code src/test/resources/lrc-cases.json}).
 *
 * @param lines sorted by time; lines sharing a time keep the file's order
 */
public record LrcLyrics(List<Line> lines) {
    private static final String TIME = "(\\d{1,3}):(\\d{1,2}(?:[.:]\\d{1,3})?)";
    private static final Pattern TIME_TAG = Pattern.compile("\\[" + TIME + "]");
    private static final Pattern LEADING_TIME_TAG = Pattern.compile("\\s*\\[" + TIME + "]");
    private static final Pattern MARKUP_TAG = Pattern.compile("<" + TIME + ">|\\[" + TIME + "]");
    private static final Pattern OFFSET_TAG = Pattern.compile("(?i)^\\[offset:\\s*([+-]?\\d+)]$");
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

    /** A line to show from {@code seconds} into the song. */
    public record Line(double seconds, String text) {}

    /** Lines {@code first} to {@code last} (inclusive indices into {@link #lines()}), which share one time. */
    public record Group(int first, int last) {}

    /** True when the text carries at least one LRC time tag. */
    public static boolean isSynced(String text) {
        return text != null && TIME_TAG.matcher(text).find();
    }

    public static LrcLyrics parse(String text) {
        List<Line> lines = new ArrayList<>();
        if (text == null) return new LrcLyrics(lines);
        double offset = 0;
        for (String raw : LINE_BREAK.split(text.replace("\uFEFF", ""), -1)) {
            String line = raw.strip();
            Matcher offsetTag = OFFSET_TAG.matcher(line);
            if (offsetTag.matches()) {
                offset = -Long.parseLong(offsetTag.group(1)) / 1000.0; // positive offsets show lyrics sooner
                continue;
            }
            Matcher tag = LEADING_TIME_TAG.matcher(line);
            List<Double> times = new ArrayList<>();
            int end = 0;
            while (tag.region(end, line.length()).lookingAt()) {
                times.add(Integer.parseInt(tag.group(1)) * 60 + Double.parseDouble(tag.group(2).replace(':', '.')));
                end = tag.end();
            }
            String words = MARKUP_TAG.matcher(line.substring(end)).replaceAll("").replaceAll("\\s{2,}", " ").strip();
            for (double time : times) lines.add(new Line(time, words));
        }
        lines.sort(Comparator.comparingDouble(Line::seconds)); // stable: lines sharing a time keep their order
        double shift = offset;
        return new LrcLyrics(lines.stream().map(l -> new Line(Math.max(0, l.seconds() + shift), l.text())).toList());
    }

    /** The index of the last line whose time has come at {@code seconds}, or -1 before the first. */
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

    /**
     * The current line and every line sharing its time (an original and its translation, say): they are sung, and
     * shown, together. Empty before the first line.
     */
    public Optional<Group> groupAt(double seconds) {
        int last = lineAt(seconds);
        if (last < 0) return Optional.empty();
        int first = last;
        while (first > 0 && lines.get(first - 1).seconds() == lines.get(last).seconds()) first--;
        return Optional.of(new Group(first, last));
    }

    /** The texts of a group's lines, in order. */
    public List<String> texts(Group group) {
        return lines.subList(group.first(), group.last() + 1).stream().map(Line::text).toList();
    }
}
