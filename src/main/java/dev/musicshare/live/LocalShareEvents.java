package dev.musicshare.live;

import dev.musicshare.share.Metadata;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.ShareEvents;

/** Delivers the domain's events straight to this node's hub: the single-node (memory store) case. */
public final class LocalShareEvents implements ShareEvents {
    private final LiveHub hub;

    public LocalShareEvents(LiveHub hub) {
        this.hub = hub;
    }

    @Override
    public void metadataChanged(SessionId id, Metadata metadata) {
        hub.deliver(id.value(), LiveEvents.metadata(id, metadata));
    }

    @Override
    public void audioReleased(SessionId id, long sequenceNumber, byte[] chunkJson) {
        hub.deliver(id.value(), LiveEvent.audio(sequenceNumber, chunkJson));
    }

    @Override
    public void sessionEnded(SessionId id, EndReason reason) {
        hub.deliver(id.value(), LiveEvent.ended(reason.wireName()));
    }
}
