package dev.musicshare.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Request content codings (RFC 9110 §8.4): {@code gzip} and {@code deflate} are undone before a body is parsed, with
 * the body's size limit applied to the decoded bytes, so a small "zip bomb" is refused with 413 rather than inflated
 * without end. Any other coding ({@code br}, {@code zstd}, …) is refused with 415 and an {@code Accept-Encoding}
 * header naming what is supported (RFC 7694), because parsing coded bytes as JSON can only produce a misleading error.
 */
final class ContentCodings {
    /** What a client may send, for the 415's {@code Accept-Encoding} (RFC 7694 §3). */
    static final String SUPPORTED = "gzip, deflate";

    private ContentCodings() {}

    /**
     * The codings named by a {@code Content-Encoding} header, in the order they were applied; {@code identity} is
     * dropped. Empty for an absent header.
     *
     * @throws ApiException 415 {@code UNSUPPORTED_CONTENT_ENCODING} for a coding this server cannot undo
     */
    static List<String> parse(String header) {
        List<String> codings = new ArrayList<>();
        if (header == null) return codings;
        for (String token : header.split(",")) {
            String coding = token.trim().toLowerCase(Locale.ROOT);
            switch (coding) {
                case "", "identity" -> { }
                case "gzip", "x-gzip" -> codings.add("gzip");
                case "deflate" -> codings.add("deflate");
                default -> throw unsupported(coding);
            }
        }
        return codings;
    }

    /**
     * Undoes {@code codings} (last applied, first undone).
     *
     * @param limit the most decoded bytes accepted
     * @throws ApiException 413 when the decoded body passes {@code limit}; 400 when the bytes are not valid data
     *     of the coding they are labelled with
     */
    static byte[] decode(byte[] body, List<String> codings, int limit, String what) {
        byte[] decoded = body;
        for (int i = codings.size() - 1; i >= 0; i--) {
            String coding = codings.get(i);
            try (InputStream in = decoder(coding, decoded)) {
                decoded = readAtMost(in, limit, what, coding);
            } catch (IOException e) {
                throw ApiException.badRequest(what + " body is labelled Content-Encoding: " + coding
                        + " but is not valid " + coding + " data");
            }
        }
        return decoded;
    }

    private static InputStream decoder(String coding, byte[] bytes) throws IOException {
        InputStream raw = new ByteArrayInputStream(bytes);
        if (coding.equals("gzip")) return new GZIPInputStream(raw);
        // "deflate" means the zlib format (RFC 1950), but some clients send a bare deflate stream (RFC 1951), so
        // the zlib header is checked for rather than assumed.
        return new InflaterInputStream(raw, new Inflater(!hasZlibHeader(bytes)));
    }

    private static boolean hasZlibHeader(byte[] bytes) {
        if (bytes.length < 2) return false;
        int cmf = bytes[0] & 0xFF;
        int flg = bytes[1] & 0xFF;
        return (cmf & 0x0F) == 8 && ((cmf << 8) | flg) % 31 == 0;
    }

    private static byte[] readAtMost(InputStream in, int limit, String what, String coding) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16384];
        for (int read; (read = in.read(buffer)) != -1; ) {
            if (out.size() + read > limit) {
                throw new ApiException(413, "PAYLOAD_TOO_LARGE", what + " body exceeds the limit of " + limit
                        + " bytes once decoded (Content-Encoding: " + coding + ")");
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    private static ApiException unsupported(String coding) {
        return new ApiException(415, "UNSUPPORTED_CONTENT_ENCODING", "Content-Encoding " + coding
                + " is not supported; send the body uncompressed or with one of: " + SUPPORTED);
    }
}
