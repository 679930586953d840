package dev.musicshare.stream;

import dev.musicshare.codec.StreamTags;
import dev.musicshare.config.OpusSettings;
import dev.musicshare.live.LiveEvent;
import dev.musicshare.live.LiveEvents;
import dev.musicshare.live.LiveHub;
import dev.musicshare.live.PushResources;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.share.ListenerId;
import dev.musicshare.share.Metadata;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.ShareException;
import dev.musicshare.share.ShareService;
import dev.musicshare.share.Since;
import dev.musicshare.store.BufferedChunk;
import dev.musicshare.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's Opus encoders, one per session that has an Opus listener here, started with the first such listener
 * and stopped with the last. An encoder starts from the session's buffer (its last {@code STREAM_BURST_MS}, so the
 * first listener's player starts at once too), then follows the live stream through the hub, like a push listener.
 */
public final class OpusStreams {
    private static final Logger log = LoggerFactory.getLogger(OpusStreams.class);
    /** How often a paused stream is topped up with silence: small next to the players' buffers. */
    private static final long TICK_MILLIS = 100;
    /** Well inside the listener window (15 s), as for push listeners. */
    private static final long PRESENCE_MILLIS = 5_000;

    private final ShareService shares;
    private final LiveHub hub;
    private final PushResources resources;
    private final OpusSettings settings;
    private final ShareMetrics metrics;
    private final Map<String, Running> sessions = new HashMap<>();
    private final Map<OggListener, ListenerId> streamListeners = new ConcurrentHashMap<>();

    private record Running(OpusSession session, EncoderFeed feed) {}

    public OpusStreams(ShareService shares, LiveHub hub, PushResources resources, OpusSettings settings) {
        this.shares = shares;
        this.hub = hub;
        this.resources = resources;
        this.settings = settings;
        this.metrics = resources.metrics();
    }

    public OpusSettings settings() {
        return settings;
    }

    public PushResources resources() {
        return resources;
    }

    /** Runs the pacer (silence while senders pause) and records stream listeners' presence. */
    public void schedule(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::recordPresence, PRESENCE_MILLIS, PRESENCE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Opus listeners (streams and sinks) on this node. */
    public synchronized int listenerCount() {
        int count = 0;
        for (Running running : sessions.values()) count += running.session().listenerCount();
        return count;
    }

    /** Listeners of stream.ogg on this node (the other Opus listeners are the sinks' own). */
    public int streamListenerCount() {
        return streamListeners.size();
    }

    /** Sessions this node encodes now. */
    public synchronized int encodingSessions() {
        return sessions.size();
    }

    void attach(SessionId id, OggListener listener, ListenerId who, boolean chained) {
        streamListeners.put(listener, who);
        listener.done().whenComplete((ok, error) -> detach(listener));
        synchronized (this) {
            running(id, who).session().attach(listener, chained);
        }
        recordListening(id, List.of(who));
    }

    /**
     * Subscribes a sink (push in Opus, a recorder) to the session's frames, starting its encoder if needed: a new
     * encoder gets the sink before its burst is fed, so the sink has every frame from the stream's first.
     *
     * @param who the listener the sink serves, counted as listening while the encoder reads the buffer; null for a
     *            sink that is not a listener (a recorder)
     */
    public void addSink(SessionId id, OpusSink sink, ListenerId who) {
        addSink(id, sink, who, -1);
    }

    /**
     * As {@link #addSink(SessionId, OpusSink, ListenerId)}, for a sink that continues where another left off (a
     * recorder taking a recording over from a node that died): an encoder started for it begins with every buffered
     * chunk after {@code afterSequence}, not only the burst, so as little as possible is missed. An encoder already
     * running here cannot go back: the sink then starts with its next frame, after the session's metadata as the
     * encoder last had it.
     *
     * @param afterSequence the last chunk the sink already has; -1: none (the burst, as for a listener)
     */
    public void addSink(SessionId id, OpusSink sink, ListenerId who, long afterSequence) {
        synchronized (this) {
            Running running = sessions.get(id.value());
            if (running != null) running.session().addSink(sink);
            else start(id, who, afterSequence, startWindowMicros(sink), session -> session.addSink(sink));
        }
    }

    public void removeSink(SessionId id, OpusSink sink) {
        synchronized (this) {
            Running running = sessions.get(id.value());
            if (running != null && running.session().removeSink(sink) == 0) stop(id.value(), running);
        }
    }

    private void detach(OggListener listener) {
        streamListeners.remove(listener);
        synchronized (this) {
            Running running = sessions.get(listener.sessionId());
            if (running != null && running.session().detach(listener) == 0) stop(listener.sessionId(), running);
        }
    }

    private void stop(String sessionId, Running running) {
        sessions.remove(sessionId);
        running.feed().close("no opus listeners");
        log.atInfo().addKeyValue("sessionId", sessionId).log("opus encoding stopped: no opus listeners left");
    }

    /**
     * The session's encoder, started if needed: joins the hub first, then reads the store, so no event published
     * meanwhile is missed (the feed holds live events until the backlog is queued, as push connections do).
     */
    private Running running(SessionId id, ListenerId who) {
        Running running = sessions.get(id.value());
        return running != null ? running : start(id, who, -1, settings.burst().toNanos() / 1_000, session -> { });
    }

    /**
     * Starts the session's encoder; {@code beforeFeeding} runs once it exists, before any chunk is encoded. It
     * begins with the newest buffered chunks adding up to {@code windowMicros} (the burst, or the recent window for a
     * push listener), or with every buffered chunk after {@code afterSequence} when that is not -1.
     */
    private Running start(SessionId id, ListenerId who, long afterSequence, long windowMicros,
            java.util.function.Consumer<OpusSession> beforeFeeding) {
        OpusSession session = new OpusSession(id.value(), settings, metrics);
        EncoderFeed feed = new EncoderFeed(session, resources, url -> tagsWithCover(id), () -> feedStopped(id.value(),
                session));
        hub.join(feed);
        List<LiveEvent> backlog = new ArrayList<>();
        boolean ended;
        try {
            Optional<Metadata> metadata = shares.currentMetadata(id);
            List<BufferedChunk> recent = afterSequence >= 0
                    ? bufferedAfter(id, afterSequence)
                    : newest(who != null ? shares.audioSince(id, Since.WHOLE_BUFFER, who) : bufferedAfter(id, -1),
                            windowMicros);
            ChunkPcm first = recent.isEmpty() ? null : ChunkPcm.parse(recent.get(0).json());
            StreamTags tags = metadata.map(m -> tagsOf(m, true)).orElse(StreamTags.NONE);
            session.initialize(first == null ? 2 : first.channels(), first == null ? 44_100 : first.sampleRate(), tags,
                    first != null);
            metadata.ifPresent(m -> backlog.add(LiveEvents.metadata(id, m)));
            for (BufferedChunk chunk : recent) backlog.add(LiveEvent.audio(chunk.sequenceNumber(), chunk.json()));
            ended = !shares.status(id).isActive();
        } catch (ShareException e) {
            ended = true;
        } catch (RuntimeException e) {
            feed.close("no opus listeners");
            throw e;
        }
        Running running = new Running(session, feed);
        sessions.put(id.value(), running);
        beforeFeeding.accept(session);
        feed.finishCatchUp(backlog);
        if (ended) feed.finish(LiveEvent.ended("stopped"));
        log.atInfo().addKeyValue("sessionId", id).addKeyValue("bitrate", settings.bitrate())
                .log("opus encoding started");
        return running;
    }

    private void feedStopped(String sessionId, OpusSession session) {
        synchronized (this) {
            Running running = sessions.get(sessionId);
            if (running != null && running.session() == session) sessions.remove(sessionId);
        }
    }

    /** The buffered chunks after {@code since}, read without counting a listener. */
    private List<BufferedChunk> bufferedAfter(SessionId id, long since) {
        return shares.catchUp(id, since, null).chunks().stream()
                .map(chunk -> new BufferedChunk(chunk.sequenceNumber(), chunk.json())).toList();
    }

    /**
     * How much of the buffer an encoder started for {@code sink} begins with, microseconds: the recent window for a
     * sink that {@link OpusSink#wantsRecent} (so a push listener gets the same ~5 s whether or not this node already
     * encodes the session; the Ogg streams still keep only the burst for players), else the burst.
     */
    private long startWindowMicros(OpusSink sink) {
        long burst = settings.burst().toNanos() / 1_000;
        return sink.wantsRecent() ? Math.max(burst, OpusSink.RECENT_MICROS) : burst;
    }

    /** The newest buffered chunks that add up to at most {@code budget} microseconds (at least the newest one). */
    private List<BufferedChunk> newest(List<BufferedChunk> buffered, long budget) {
        List<BufferedChunk> kept = new ArrayList<>();
        for (int i = buffered.size() - 1; i >= 0; i--) {
            long duration = ChunkPcm.parse(buffered.get(i).json()).durationMicros();
            if (!kept.isEmpty() && budget - duration < 0) break;
            budget -= duration;
            kept.add(0, buffered.get(i));
        }
        return kept;
    }

    private StreamTags tagsWithCover(SessionId id) {
        try {
            return shares.currentMetadata(id).map(m -> tagsOf(m, true)).orElse(StreamTags.NONE);
        } catch (StoreUnavailableException e) {
            return StreamTags.NONE;
        }
    }

    private static StreamTags tagsOf(Metadata metadata, boolean withCover) {
        byte[] cover = null;
        String type = null;
        if (withCover && metadata.thumbnailData() != null && !metadata.thumbnailData().isEmpty()) {
            try {
                cover = Base64.getMimeDecoder().decode(metadata.thumbnailData());
                type = cover.length > 3 && cover[0] == (byte) 0x89 && cover[1] == 'P' ? "image/png" : "image/jpeg";
            } catch (IllegalArgumentException e) {
                cover = null;
            }
        }
        return new StreamTags(metadata.title(), metadata.artist(), cover, type);
    }

    private void tick() {
        List<Running> running;
        synchronized (this) {
            running = List.copyOf(sessions.values());
        }
        long now = System.nanoTime();
        for (Running each : running) {
            try {
                each.session().tick(now);
            } catch (RuntimeException e) {
                log.atWarn().addKeyValue("sessionId", each.session().sessionId()).log("silence not encoded: {}",
                        e.getMessage());
            }
        }
    }

    private void recordPresence() {
        Map<String, List<ListenerId>> bySession = new HashMap<>();
        streamListeners.forEach((listener, who) -> bySession.computeIfAbsent(listener.sessionId(), k -> new ArrayList<>())
                .add(who));
        bySession.forEach((sessionId, listeners) -> recordListening(new SessionId(sessionId), listeners));
    }

    private void recordListening(SessionId id, List<ListenerId> listeners) {
        try {
            shares.recordListening(id, listeners);
        } catch (StoreUnavailableException e) {
            log.debug("stream presence not recorded: {}", e.getMessage());
        }
    }
}
