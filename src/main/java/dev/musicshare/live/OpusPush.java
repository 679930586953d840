package dev.musicshare.live;

import dev.musicshare.share.SessionId;
import java.util.List;

/**
 * Where a push connection that asked for {@code codec=opus} gets its audio: the node's Opus encoder for the session
 * (implemented outside this package, which the encoder itself depends on).
 */
public interface OpusPush {
    /**
     * Subscribes {@code connection}, already in the hub and still in catch-up, to the session's Opus audio events,
     * and ends its catch-up: {@code backlog} (what the hub path owes it, the metadata) is queued first, then the
     * recent Opus events after {@code since} (or a {@code gap} for those no longer held), then live ones.
     */
    void subscribe(LiveConnection connection, SessionId id, long since, List<LiveEvent> backlog);
}
