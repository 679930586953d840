package dev.musicshare.share;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret that proves a request comes from the session's own sender. Handed out once by {@code start}; stores
 * keep only its SHA-256 digest, and compare digests, so the key never rests anywhere and a comparison reveals
 * nothing usable through timing.
 */
public record SenderKey(String value) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public static SenderKey generate() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return new SenderKey(HexFormat.of().formatHex(bytes));
    }

    /** The presented header, or null when none was sent. */
    public static SenderKey presented(String header) {
        return header == null || header.isBlank() ? null : new SenderKey(header.trim());
    }

    public String digest() {
        return HexFormat.of().formatHex(Sha256.digest(value));
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "SenderKey[…]";
    }
}
