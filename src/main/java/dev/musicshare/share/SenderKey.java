package dev.musicshare.share;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "SenderKey[…]";
    }
}
