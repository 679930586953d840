package dev.musicshare.share;

import java.util.regex.Pattern;

/** A share session's code: exactly six ASCII digits, as the desktop app shows it ("000123" is valid). */
public record SessionId(String value) {
    private static final Pattern SIX_DIGITS = Pattern.compile("[0-9]{6}");

    public SessionId {
        if (value == null || !SIX_DIGITS.matcher(value).matches()) {
            throw ShareException.invalid("sessionId must be exactly 6 digits (0-9), was " + describe(value));
        }
    }

    @Override
    public String toString() {
        return value;
    }

    private static String describe(String value) {
        if (value == null) return "missing";
        String shown = value.length() > 20 ? value.substring(0, 20) + "…" : value;
        return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
