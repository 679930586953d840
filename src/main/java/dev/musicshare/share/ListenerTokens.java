package dev.musicshare.share;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Read-only invite tokens: {@code lt_<sessionId>_<32 hex digits>}, an HMAC-SHA256 (truncated to 128 bits) of the
 * session's identity — its id, start time and epoch (random per start) — keyed by the server's shared secret.
 *
 * <p>Nothing about a token is stored: every node that shares the secret derives the same token from the session as
 * the store holds it, so tokens work across nodes, and a token dies with its session. A new session under the same
 * id has a new epoch and so a new token. The session id in the token's text only says which session it claims;
 * the MAC proves it, compared in constant time.
 */
public final class ListenerTokens {
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MAC_BYTES = 16;
    private static final Pattern SHAPE = Pattern.compile("lt_(\\d{6})_([0-9a-f]{" + 2 * MAC_BYTES + "})");

    private final SecretKeySpec key;

    /** @param serverSecret the shared bearer token; rotating it revokes every listener token */
    public ListenerTokens(String serverSecret) {
        this.key = new SecretKeySpec(("music-share listener tokens\n" + serverSecret).getBytes(StandardCharsets.UTF_8),
                ALGORITHM);
    }

    /** The token of one life of a session. */
    public String issue(SessionId id, SessionIdentity identity) {
        return "lt_" + id.value() + "_" + HexFormat.of().formatHex(mac(id, identity));
    }

    /** The session a presented credential claims to be a listener token for; empty when it is not one in shape. */
    public static Optional<SessionId> claimedSession(String presented) {
        if (presented == null) return Optional.empty();
        Matcher match = SHAPE.matcher(presented);
        return match.matches() ? Optional.of(new SessionId(match.group(1))) : Optional.empty();
    }

    /** Whether {@code presented} is the token of this life of session {@code id}; constant time in the MAC. */
    public boolean matches(String presented, SessionId id, SessionIdentity identity) {
        Matcher match = SHAPE.matcher(presented);
        if (!match.matches() || !match.group(1).equals(id.value())) return false;
        return MessageDigest.isEqual(HexFormat.of().parseHex(match.group(2)), mac(id, identity));
    }

    private byte[] mac(SessionId id, SessionIdentity identity) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] full = mac.doFinal((id.value() + "\n" + identity.startTime() + "\n" + identity.epoch())
                    .getBytes(StandardCharsets.UTF_8));
            return java.util.Arrays.copyOf(full, MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }
}
