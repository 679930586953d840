package dev.musicshare.share;

/**
 * What push listeners must hear about, announced by the domain after the store accepted a change. Implemented by the
 * live layer (an in-process hub, or Redis pub/sub across nodes), so the domain depends on no transport.
 */
public interface ShareEvents {
    ShareEvents NONE = new ShareEvents() {
        @Override
        public void metadataChanged(SessionId id, Metadata metadata) {}

        @Override
        public void audioReleased(SessionId id, long sequenceNumber, byte[] chunkJson) {}

        @Override
        public void sessionEnded(SessionId id, EndReason reason) {}
    };

    /** Why a session's listeners are told it ended. */
    enum EndReason {
        STOPPED,
        EXPIRED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** New metadata; the live layer serialises it once, as {@code GET /metadata} does. */
    void metadataChanged(SessionId id, Metadata metadata);

    /** A chunk listeners may now play, as the JSON object {@code GET /audio} returns. */
    void audioReleased(SessionId id, long sequenceNumber, byte[] chunkJson);

    void sessionEnded(SessionId id, EndReason reason);
}
