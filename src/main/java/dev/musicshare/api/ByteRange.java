package dev.musicshare.api;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a {@code Range} request header (RFC 9110 section 14): {@code bytes=first-last},
 * {@code bytes=first-} or a suffix {@code bytes=-length}. Several ranges in one header are answered with the whole
 * file, which the RFC allows a server to do; so is any header this server does not understand.
 *
 * @param first the first byte's offset
 * @param last  the last byte's offset, inclusive
 */
record ByteRange(long first, long last) {
    private static final Pattern SINGLE = Pattern.compile("bytes=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*");

    long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value of a 206 answer. */
    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * The range a request asks for within {@code size} bytes; empty for the whole file.
     *
     * @throws ApiException 416 when the range lies wholly beyond the end
     */
    static Optional<ByteRange> of(String header, long size) {
        if (header == null) return Optional.empty();
        Matcher range = SINGLE.matcher(header);
        if (!range.matches() || range.group(1).isEmpty() && range.group(2).isEmpty()) return Optional.empty();
        try {
            if (range.group(1).isEmpty()) { // the last n bytes
                long suffix = Long.parseLong(range.group(2));
                if (suffix == 0) throw unsatisfiable(size);
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(range.group(1));
            // An open range's end is the file's: measured against first, it would make "bytes=<beyond>-" look
            // invalid (ignored, 200) rather than unsatisfiable (416).
            long last = range.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(range.group(2));
            if (last < first) return Optional.empty(); // invalid: ignored, as the RFC says
            if (first >= size) throw unsatisfiable(size);
            return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            return Optional.empty(); // more digits than a file has bytes
        }
    }

    private static ApiException unsatisfiable(long size) {
        return new ApiException(416, "RANGE_NOT_SATISFIABLE", "The range lies beyond the file's " + size + " bytes");
    }
}
