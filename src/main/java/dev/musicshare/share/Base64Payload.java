package dev.musicshare.share;

/**
 * Checks standard, padded base64 and computes its decoded length without decoding it. The audio hot path only
 * needs to know that a chunk is well-formed and how many bytes it carries; java.util.Base64 would allocate and
 * fill a decoded copy of every chunk just to throw it away.
 */
final class Base64Payload {
    private static final boolean[] ALPHABET = new boolean[256];

    static {
        for (char c = 'A'; c <= 'Z'; c++) ALPHABET[c] = true;
        for (char c = 'a'; c <= 'z'; c++) ALPHABET[c] = true;
        for (char c = '0'; c <= '9'; c++) ALPHABET[c] = true;
        ALPHABET['+'] = true;
        ALPHABET['/'] = true;
    }

    private Base64Payload() {}

    /** The decoded length in bytes of {@code text[from, to)}, or -1 when it is not standard padded base64. */
    static long decodedLength(byte[] text, int from, int to) {
        int length = to - from;
        if (length % 4 != 0) return -1;
        int padding = 0;
        if (length > 0 && text[to - 1] == '=') padding++;
        if (length > 1 && text[to - 2] == '=') padding++;
        boolean valid = true;
        for (int i = from; i < to - padding; i++) valid &= ALPHABET[text[i] & 0xFF]; // no branch per byte
        return valid ? (long) length / 4 * 3 - padding : -1;
    }
}
