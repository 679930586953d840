package dev.musicshare.share;

/**
 * A request the domain refuses, with a reason a client can act on. The HTTP layer maps each {@link Reason} to a
 * status code in one place; the message is written for the client developer and is safe to return verbatim.
 */
public class ShareException extends RuntimeException {

    public enum Reason {
        INVALID_REQUEST,
        SESSION_NOT_FOUND,
        METADATA_NOT_FOUND,
        SESSION_IN_USE,
        SESSION_NOT_ACTIVE,
        SENDER_KEY_REQUIRED,
        SENDER_KEY_INVALID,
        SESSION_LIMIT_REACHED
    }

    private final Reason reason;

    public ShareException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static ShareException invalid(String message) {
        return new ShareException(Reason.INVALID_REQUEST, message);
    }
}
