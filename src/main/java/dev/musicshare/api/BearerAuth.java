package dev.musicshare.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks the shared token (see {@link Access} for who may do what). Accepts {@code Authorization: Bearer <token>}
 * and, because the desktop app sends its configured string verbatim, a bare {@code <token>}. Both sides are hashed before the constant-time comparison, so
 * neither the token's content nor its length leaks through timing.
 */
final class BearerAuth {
    private static final String SCHEME = "bearer ";
    private final byte[] expectedDigest;

    BearerAuth(String token) {
        this.expectedDigest = sha256(token);
    }

    /** Whether the credential (an Authorization value, or access_token) is the shared token. */
    boolean accepts(String header) {
        if (header == null) return false;
        String presented = header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                ? header.substring(SCHEME.length()).trim()
                : header.trim();
        return MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
