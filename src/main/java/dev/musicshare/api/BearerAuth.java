package dev.musicshare.api;

import dev.musicshare.share.Sha256;
import java.security.MessageDigest;

/**
 * Checks the shared token (see {@link Access} for who may do what). Accepts {@code Authorization: Bearer <token>}
 * and, because the desktop app sends its configured string verbatim, a bare {@code <token>}. Both sides are hashed before the constant-time comparison, so
 * neither the token's content nor its length leaks through timing.
 */
final class BearerAuth {
    private static final String SCHEME = "bearer ";
    private final byte[] expectedDigest;

    BearerAuth(String token) {
        this.expectedDigest = Sha256.digest(token);
    }

    /** Whether the credential (an Authorization value, or access_token) is the shared token. */
    boolean accepts(String header) {
        if (header == null) return false;
        String presented = header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                ? header.substring(SCHEME.length()).trim()
                : header.trim();
        return MessageDigest.isEqual(expectedDigest, Sha256.digest(presented));
    }
}
