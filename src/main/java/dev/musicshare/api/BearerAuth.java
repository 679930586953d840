package dev.musicshare.api;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks the shared token. Accepts {@code Authorization: Bearer <token>} and, because the desktop app sends its
 * configured string verbatim, a bare {@code <token>}. Both sides are hashed before the constant-time comparison, so
 * neither the token's content nor its length leaks through timing.
 */
final class BearerAuth {
    private static final String SCHEME = "bearer ";
    private final byte[] expectedDigest;

    BearerAuth(String token) {
        this.expectedDigest = sha256(token);
    }

    /**
     * Checks the Authorization header; listener requests (GET) may carry the token as {@code access_token} instead,
     * because browsers cannot set headers on EventSource and WebSocket.
     */
    void require(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null && ctx.method() == HandlerType.GET) header = ctx.queryParam("access_token");
        if (!accepts(header)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "UNAUTHORIZED", "Unauthorized");
        }
    }

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
