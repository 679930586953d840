package dev.musicshare.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.musicshare.codec.StreamTags;
import dev.musicshare.live.LiveConnection;
import dev.musicshare.live.LiveEvent;
import dev.musicshare.live.LiveLimits;
import dev.musicshare.live.PushCodec;
import dev.musicshare.live.PushResources;
import dev.musicshare.share.ListenerId;
import java.io.IOException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Opus encoder's place in the live hub: it receives the session's events exactly as a push listener does (the
 * backlog, then live events, in sequence order without duplicates, across nodes through the same path), and its
 * "writes" run the encoder, one at a time, on the push writer threads — never on a request thread. A queue that
 * overflows because encoding fell behind (the node is overloaded) becomes a {@code gap}: the encoder fills the hole
 * with silence of its length, so the streams keep their timeline, Opus push listeners are sent the gap, and the skip
 * is logged and counted ({@code musicshare_opus_encoder_skipped_chunks_total}). Unlike a listener's connection, the
 * feed is never disconnected for falling behind repeatedly: that would drop every listener of the session at once.
 */
final class EncoderFeed extends LiveConnection {
    private static final Logger log = LoggerFactory.getLogger(EncoderFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpusSession session;
    private final Function<String, StreamTags> tagsWithCover;
    private final Runnable onStop;
    private String coverUrl;
    private StreamTags tags = StreamTags.NONE;

    /**
     * @param tagsWithCover completes tags with the cover image when the cover changed (given the new thumbnail URL)
     * @param onStop        called once when the feed stops, whatever the reason
     */
    EncoderFeed(OpusSession session, PushResources resources, Function<String, StreamTags> tagsWithCover,
            Runnable onStop) {
        // Holes in the sequence need no gap event here: the encoder fills them with silence as the next chunk comes
        // (OpusStreamEncoder), and a gap would count as chunks an overloaded encoder skipped.
        super(session.sessionId(), new ListenerId("encoder"), -1, neverTooSlow(resources), PushCodec.PCM, false);
        this.session = session;
        this.tagsWithCover = tagsWithCover;
        this.onStop = onStop;
    }

    @Override
    public boolean countsAsListener() {
        return false;
    }

    @Override
    protected void write(LiveEvent event) throws IOException {
        try {
            switch (event.name()) {
                case LiveEvent.AUDIO -> session.audio(ChunkPcm.parse(event.json()));
                case LiveEvent.METADATA -> metadata(event.json());
                case LiveEvent.ENDED -> session.end();
                case LiveEvent.RECONNECT -> session.abort(); // this node is going away
                case LiveEvent.GAP -> skipped(event.json());
                default -> { } // heartbeats
            }
        } catch (RuntimeException e) {
            log.atError().addKeyValue("sessionId", sessionId()).setCause(e).log("opus encoding failed");
            throw e;
        }
    }

    @Override
    protected void closeTransport(String reason) {
        if (!"stream finished".equals(reason) && !"no opus listeners".equals(reason)) {
            log.atWarn().addKeyValue("sessionId", sessionId()).log("opus encoding stopped: {}", reason);
            session.abort();
        }
        onStop.run();
    }

    /** Skip-ahead as often as needed, never "too slow": the node's only encoder of the session must stay. */
    private static PushResources neverTooSlow(PushResources resources) {
        LiveLimits limits = resources.limits();
        return new PushResources(new LiveLimits(limits.maxQueuedEvents(), limits.maxQueuedBytes(), Integer.MAX_VALUE,
                limits.heartbeatInterval()), resources.writers(), resources.metrics(), resources.observer());
    }

    /**
     * Chunks the feed skipped (its queue overflowed while the encoder was behind, or a resumed feed found them gone):
     * the encoder fills their time with silence when the next chunk comes.
     */
    private void skipped(byte[] gapJson) throws IOException {
        JsonNode gap = JSON.readTree(gapJson);
        long from = gap.path("from").asLong();
        long to = gap.path("to").asLong();
        log.atWarn().addKeyValue("sessionId", sessionId()).addKeyValue("from", from).addKeyValue("to", to)
                .log("opus encoder skipped {} chunks: it fell behind the live stream (node overloaded) or they were "
                        + "lost; the streams carry silence in their place", to - from + 1);
        session.skipped(from, to);
    }

    private void metadata(byte[] json) throws IOException {
        long timestamp = JSON.readTree(json).path("timestamp").asLong(0);
        session.metadata(tags(json), timestamp, json);
    }

    /** The title/artist of a metadata event; the cover is fetched only when its URL (its version) changed. */
    StreamTags tags(byte[] metadataJson) {
        try {
            JsonNode metadata = JSON.readTree(metadataJson);
            String title = text(metadata, "title");
            String artist = text(metadata, "artist");
            String cover = text(metadata, "thumbnailUrl");
            if (cover != null && !cover.equals(coverUrl)) {
                tags = tagsWithCover.apply(cover);
                tags = new StreamTags(title, artist, tags.cover(), tags.coverType());
            } else {
                tags = new StreamTags(title, artist, cover == null ? null : tags.cover(),
                        cover == null ? null : tags.coverType());
            }
            coverUrl = cover;
            return tags;
        } catch (IOException e) {
            log.atWarn().addKeyValue("sessionId", sessionId()).log("metadata event unreadable: {}", e.getMessage());
            return tags;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
