package dev.musicshare.share;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 (FIPS 180-4) digests: sender keys and the bearer token are compared as digests, cover art and page assets
 * are named by one. Every JVM must provide the algorithm, so its absence is an error, not a case to handle.
 */
public final class Sha256 {
    private Sha256() {}

    public static byte[] digest(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The digest of {@code text}'s UTF-8 bytes. */
    public static byte[] digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The first {@code bytes} bytes (at most 32) of the digest, as lowercase hex ({@code 2 × bytes} characters). */
    public static String hex(byte[] input, int bytes) {
        return HexFormat.of().formatHex(digest(input), 0, bytes);
    }
}
