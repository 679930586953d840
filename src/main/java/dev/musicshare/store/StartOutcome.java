package dev.musicshare.store;

/** What became of a request to start a session. */
public enum StartOutcome {
    STARTED,
    /** An active session already holds the id. */
    IN_USE,
    /** The live-session limit is reached. */
    FULL
}
