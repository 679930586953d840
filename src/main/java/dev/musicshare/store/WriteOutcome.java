package dev.musicshare.store;

/** What became of a sender's write (metadata or an audio chunk). */
public enum WriteOutcome {
    WRITTEN,
    /** No session under that id (never started, expired, or removed after its grace period). */
    NOT_FOUND,
    /** The session was stopped and is in its grace period: readable, but no longer accepting writes. */
    NOT_ACTIVE,
    /** The request presented a sender key that is not the session's. */
    FORBIDDEN
}
