package dev.musicshare.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.musicshare.share.Metadata;
import dev.musicshare.share.SessionId;

/** Builds the live events whose payloads need JSON serialisation. */
public final class LiveEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveEvents() {}

    /**
     * The metadata as {@code GET /metadata} returns it, except that the cover art comes as {@code thumbnailUrl}
     * (versioned by content, so cacheable) instead of inline: senders repeat metadata up to 4 times a second, and
     * re-pushing a 100 KB image each time to every listener would dwarf the audio.
     */
    public static LiveEvent metadata(SessionId id, Metadata metadata) {
        ObjectNode json = JSON.valueToTree(metadata);
        json.remove("thumbnailData");
        String version = metadata.thumbnailVersion();
        json.put("thumbnailUrl", version == null ? null : "/api/share/" + id.value() + "/thumbnail?v=" + version);
        try {
            return LiveEvent.of(LiveEvent.METADATA, JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata could not be serialised", e);
        }
    }
}
