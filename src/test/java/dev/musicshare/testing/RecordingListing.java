package dev.musicshare.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits for a node's {@code GET /api/recordings} to list a number of finished recordings (a file is listed once
 * its writer has renamed it into place, a moment after the stop) and returns them oldest first — the listing itself
 * is newest first.
 */
public final class RecordingListing {
    private RecordingListing() {}

    /** The {@code count} recordings {@code /api/recordings} lists, oldest first, once it lists exactly that many. */
    public static List<JsonNode> awaitOldestFirst(ApiClient api, int count) {
        JsonNode listing = await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/recordings").json(),
                body -> body.get("total").asInt() == count);
        List<JsonNode> oldestFirst = new ArrayList<>();
        listing.get("recordings").forEach(recording -> oldestFirst.add(0, recording));
        return oldestFirst;
    }
}
