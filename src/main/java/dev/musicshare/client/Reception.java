package dev.musicshare.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** What a receiver (push or polling) hands on as it hears a session; {@link Listener} makes a report of it. */
interface Reception {
    /** The session's metadata, as {@code GET /metadata} answers it or a {@code metadata} event carries it. */
    void onMetadata(JsonNode metadata);

    /** One audio chunk, as {@code GET /audio} lists it or an {@code audio} event carries it. */
    void onChunk(JsonNode chunk) throws IOException;

    /** The server says these sequence numbers will not arrive (inclusive). */
    void onGap(long from, long to);

    /** The highest sequence number received, -1 before any: where a receiver resumes. */
    long lastSequence();

    /** Whether anything arrived: a 404 then means the session ended, not that it never existed. */
    boolean heardAnything();

    /** A (re)connection was made: what follows is a new stream (an Opus decoder starts afresh). */
    default void onConnected() {}

    /** {@code in}, with its bytes counted as received from the network. */
    default java.io.InputStream counted(java.io.InputStream in) {
        return in;
    }
}
