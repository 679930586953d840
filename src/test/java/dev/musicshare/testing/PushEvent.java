package dev.musicshare.testing;

import com.fasterxml.jackson.databind.JsonNode;

/** One event received from a push stream: its name, SSE id (null if none) and JSON payload. */
public record PushEvent(String name, String id, JsonNode data) {
    public long sequenceNumber() {
        return data.get("sequenceNumber").asLong();
    }
}
