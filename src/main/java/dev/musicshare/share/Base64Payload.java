package dev.musicshare.share;

/**
 * Checks standard, padded base64 and computes its decoded length without decoding it. The audio hot path only
 * needs to know that a chunk is well-formed and how many bytes it carries; java.util.Base64 would allocate and
 * fill a decoded copy of every chunk (~35 KB at 10 chunks/s per sender) just to throw it away.
 */
final class Base64Payload {
    private static final boolean[] ALPHABET = new boolean[128];

    static {
        for (char c = 'A'; c <= 'Z'; c++) ALPHABET[c] = true;
        for (char c = 'a'; c <= 'z'; c++) ALPHABET[c] = true;
        for (char c = '0'; c <= '9'; c++) ALPHABET[c] = true;
        ALPHABET['+'] = true;
        ALPHABET['/'] = true;
    }

    private Base64Payload() {}

    /** The decoded length in bytes, or -1 when {@code text} is not standard padded base64. */
    static long decodedLength(CharSequence text) {
        int length = text.length();
        if (length % 4 != 0) return -1;
        int padding = 0;
        if (length > 0 && text.charAt(length - 1) == '=') padding++;
        if (length > 1 && text.charAt(length - 2) == '=') padding++;
        for (int i = 0; i < length - padding; i++) {
            char c = text.charAt(i);
            if (c >= 128 || !ALPHABET[c]) return -1;
        }
        return (long) length / 4 * 3 - padding;
    }
}
