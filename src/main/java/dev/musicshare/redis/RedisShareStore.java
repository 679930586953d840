package dev.musicshare.redis;

import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.redis.RedisScripts.Script;
import dev.musicshare.redis.ScriptReplies.AudioWrite;
import dev.musicshare.store.AppendResult;
import dev.musicshare.store.BufferedChunk;
import dev.musicshare.store.CatchUpRead;
import dev.musicshare.store.MetadataRead;
import dev.musicshare.store.Released;
import dev.musicshare.store.SessionRecord;
import dev.musicshare.store.SessionTimeline;
import dev.musicshare.store.ShareStore;
import dev.musicshare.store.StartOutcome;
import dev.musicshare.store.StopResult;
import dev.musicshare.store.StoreSettings;
import dev.musicshare.store.StoreUnavailableException;
import dev.musicshare.store.StoredChunk;
import dev.musicshare.store.TimelinePlacement;
import dev.musicshare.store.WriteOutcome;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared store: sessions in Redis, so any number of nodes serve them. Each operation on a session is one Lua
 * script on that session's keys ({@link RedisKeys}: one hash tag, hence one cluster slot); what spans sessions is
 * the {@link SessionRegistry}. TTLs are real Redis TTLs. Its parts: the registry, the audio buffer and its
 * read protocol ({@link RedisAudio}), the cover caches ({@link CoverCaches}), the scripts' replies
 * ({@link ScriptReplies}) and the calls themselves ({@link RedisCalls}: while Redis is unreachable every call throws
 * {@link StoreUnavailableException} within the command timeout; the client reconnects by itself, and scripts Redis
 * forgot on a restart are loaded again).
 *
 * <p>Chunks the audio script releases are published by it to the session's events channel ({@link EventCodec}),
 * which {@link RedisShareEvents} subscribes to: with SPUBLISH on a cluster, so they stay within the session's shard.
 */
public final class RedisShareStore implements ShareStore {
    private static final Logger log = LoggerFactory.getLogger(RedisShareStore.class);
    /** The session hash fields a {@link SessionRecord} is read from, in {@link ScriptReplies#session}'s order. */
    static final List<String> SESSION_FIELDS = List.of("active", "startTime", "lastActivity", "stoppedAt", "bytes",
            "chunks", "peakListeners", "epoch");
    private static final byte[][] SESSION_FIELD_NAMES = RedisKeys.of(SESSION_FIELDS.toArray(String[]::new));

    private final StoreSettings settings;
    private final RedisCalls redis;
    private final SessionRegistry registry;
    private final RedisAudio audio;
    private final CoverCaches covers;
    private final ChunkCache chunkCache;

    /** Connects at once: an unreachable Redis at start-up is a configuration error, reported as such. */
    public RedisShareStore(RedisOptions options, StoreSettings settings, ShareMetrics metrics) {
        this.settings = settings;
        this.redis = new RedisCalls(options, metrics, "store");
        this.registry = new SessionRegistry(redis, settings, options.timeout());
        this.chunkCache = new ChunkCache(options.chunkCacheBytes());
        this.audio = new RedisAudio(redis, settings, chunkCache, metrics,
                EventTransport.publishCommand(RedisUrl.parse(options.url()).kind()));
        this.covers = new CoverCaches(settings.maxSessions());
        metrics.gauge("musicshare.store.chunk.cache.bytes", "Chunk JSON this node holds to spare Redis re-sending it",
                chunkCache::bytes);
        log.atInfo().addKeyValue("redis", RedisConnector.describe(options))
                .addKeyValue("connections", options.connections()).log("connected to Redis");
    }

    @Override
    public StartOutcome start(String id, String senderKeyHash, long now) {
        StartOutcome outcome = registry.reserve(id, now);
        if (outcome == StartOutcome.STARTED) {
            String epoch = Long.toHexString(ThreadLocalRandom.current().nextLong());
            try {
                redis.durableScript("start", Script.CREATE, ScriptOutputType.STATUS, new RedisKeys(id).all(), now,
                        settings.sessionTimeout().toMillis(), RedisAudio.orEmpty(senderKeyHash), epoch);
            } catch (StoreUnavailableException e) {
                registry.undoReserve(id); // the steps cannot be one script: the registry spans sessions
                throw e;
            }
            // A failed confirm needs no undo: the reservation lapses by itself, and an undo could remove the
            // reservation of a start that came after it lapsed.
            if (!registry.confirm(id, now)) {
                throw new StoreUnavailableException("Redis start of session " + id + " took longer than its "
                        + "reservation lasts", null);
            }
        }
        return outcome;
    }

    @Override
    public Optional<SessionRecord> session(String id, long now) {
        List<Object> fields = redis.await("session", redis.next().hmget(RedisKeys.bytes(new RedisKeys(id).session()),
                SESSION_FIELD_NAMES).thenApply(values -> values.stream().map(v -> (Object) v.getValueOrElse(null))
                .toList()));
        return ScriptReplies.session(id, fields);
    }

    /**
     * Senders repeat metadata up to 4 times a second with the same ~100 KB cover; when this node wrote that cover
     * version last, only its fingerprint is sent and the script keeps the stored image.
     */
    @Override
    public WriteOutcome putMetadata(String id, Map<String, String> fields, String senderKeyHash, long now) {
        String outcome = "NEED_THUMBNAIL";
        Map<String, String> withoutCover = covers.withoutCoverWrittenHere(id, fields);
        if (withoutCover != null) {
            outcome = writeMetadata(id, withoutCover, fields.get(CoverCaches.VERSION), senderKeyHash, now);
        }
        if (outcome.equals("NEED_THUMBNAIL")) outcome = writeMetadata(id, fields, "", senderKeyHash, now);
        WriteOutcome written = WriteOutcome.valueOf(outcome);
        if (written == WriteOutcome.WRITTEN) {
            covers.wrote(id, fields.get(CoverCaches.VERSION));
            registry.refresh(id, now);
        }
        return written;
    }

    private String writeMetadata(String id, Map<String, String> fields, String keepVersion, String senderKeyHash,
            long now) {
        RedisKeys keys = new RedisKeys(id);
        List<Object> args = new ArrayList<>(List.of(now, settings.sessionTimeout().toMillis(),
                settings.metadataTtl().toMillis(), keepVersion, RedisAudio.orEmpty(senderKeyHash)));
        fields.forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        return ScriptReplies.text(redis.<Object>script("metadata", Script.METADATA, ScriptOutputType.STATUS,
                RedisKeys.of(keys.session(), keys.metadata()), args.toArray()));
    }

    @Override
    public TimelinePlacement placeOnTimeline(String id, long sequenceNumber, long durationMicros,
            long senderTimestamp, String senderKeyHash, long nowMicros) {
        return ScriptReplies.placement(redis.script("timeline", Script.TIMELINE, ScriptOutputType.MULTI,
                RedisKeys.of(new RedisKeys(id).session()), sequenceNumber, durationMicros, senderTimestamp, nowMicros,
                RedisAudio.orEmpty(senderKeyHash), SessionTimeline.DRIFT_LIMIT_MICROS,
                SessionTimeline.LATE_LIMIT_MICROS, SessionTimeline.EARLY_LIMIT_MICROS));
    }

    @Override
    public AppendResult appendChunk(String id, StoredChunk chunk, long decodedBytes, String senderKeyHash, long now) {
        AudioWrite write = audio.append(id, chunk, decodedBytes, senderKeyHash, now);
        if (write.outcome() != WriteOutcome.WRITTEN) return AppendResult.refused(write.outcome());
        registry.refresh(id, now);
        return new AppendResult(write.outcome(), write.buffered(), audio.released(id, write, chunk),
                write.holdUntil());
    }

    @Override
    public Released releaseDue(String id, long now) {
        return audio.releaseDue(id, now);
    }

    @Override
    public StopResult stop(String id, String senderKeyHash, long now) {
        RedisKeys keys = new RedisKeys(id);
        StopResult result = ScriptReplies.stop(id, redis.durableScript("stop", Script.STOP, ScriptOutputType.MULTI,
                RedisKeys.of(keys.session(), keys.listeners()), now, settings.stopGrace().toMillis(),
                RedisAudio.orEmpty(senderKeyHash)));
        if (result.outcome() != WriteOutcome.WRITTEN) return result;
        forgetCached(id);
        registry.remove(id);
        return result;
    }

    @Override
    public MetadataRead readMetadata(String id, String listenerId, long now) {
        RedisKeys keys = new RedisKeys(id);
        CoverCaches.Cover held = covers.held(id);
        Optional<Map<String, String>> fields = ScriptReplies.metadataRead(redis.script("read", Script.READ_METADATA,
                ScriptOutputType.MULTI, RedisKeys.of(keys.session(), keys.listeners(), keys.metadata()),
                CoverCaches.versionOf(held), RedisAudio.orEmpty(listenerId), now,
                settings.listenerWindow().toMillis(), settings.sessionTimeout().toMillis()));
        if (fields.isEmpty()) {
            forgetCached(id);
            return MetadataRead.NO_SESSION;
        }
        return new MetadataRead(true, covers.filledIn(id, held, fields.get()));
    }

    @Override
    public Optional<List<BufferedChunk>> readChunks(String id, long since, String listenerId, long now) {
        Optional<List<BufferedChunk>> chunks = audio.read(id, since, listenerId, now);
        if (chunks.isEmpty()) forgetCached(id);
        return chunks;
    }

    @Override
    public CatchUpRead catchUp(String id, long since, String listenerId, long now) {
        RedisKeys keys = new RedisKeys(id);
        CoverCaches.Cover held = covers.held(id);
        RedisAudio.Filled<ScriptReplies.CatchUp> read = audio.fill(id, audio.knownGeneration(id),
                known -> ScriptReplies.catchUp(redis.script("catchup", Script.CATCHUP, ScriptOutputType.MULTI,
                        RedisKeys.of(keys.session(), keys.listeners(), keys.metadata(), keys.audio(), keys.audioIndex()),
                        since, RedisAudio.orEmpty(listenerId), now, settings.listenerWindow().toMillis(),
                        settings.sessionTimeout().toMillis(), CoverCaches.versionOf(held), known)).orElse(null));
        if (read == null) {
            forgetCached(id);
            return CatchUpRead.NO_SESSION;
        }
        ScriptReplies.CatchUp listing = read.listing();
        List<StoredChunk> chunks = read.chunks().stream()
                .map(chunk -> new StoredChunk(chunk.sequenceNumber(), chunk.json(), 0)).toList();
        return new CatchUpRead(true, listing.active(), covers.filledIn(id, held, listing.metadata()), chunks,
                listing.released());
    }

    @Override
    public void nameListeners(String id, Map<String, String> displayNames, long now) {
        if (displayNames.isEmpty()) return;
        RedisKeys keys = new RedisKeys(id);
        List<Object> args = new ArrayList<>(List.of("set", settings.sessionTimeout().toMillis()));
        displayNames.forEach((listener, name) -> {
            args.add(listener);
            args.add(name);
        });
        redis.script("names", Script.NAMES, ScriptOutputType.INTEGER,
                RedisKeys.of(keys.session(), keys.listeners(), keys.listenerNames()), args.toArray());
    }

    @Override
    public List<String> listenerNames(String id, long now) {
        RedisKeys keys = new RedisKeys(id);
        List<Object> names = redis.script("names", Script.NAMES, ScriptOutputType.MULTI,
                RedisKeys.of(keys.session(), keys.listeners(), keys.listenerNames()), "get", now,
                settings.listenerWindow().toMillis());
        return names.stream().map(ScriptReplies::text).toList();
    }

    @Override
    public void touchListeners(String id, Collection<String> listenerIds, long now) {
        if (listenerIds.isEmpty()) return;
        RedisKeys keys = new RedisKeys(id);
        List<Object> args = new ArrayList<>(List.of(now, settings.listenerWindow().toMillis(),
                settings.sessionTimeout().toMillis()));
        args.addAll(listenerIds);
        redis.script("listeners", Script.LISTENERS, ScriptOutputType.INTEGER,
                RedisKeys.of(keys.session(), keys.listeners()), args.toArray());
    }

    /** A plain count, no write: a full Redis refuses writes, and status and metadata answers need this. */
    @Override
    public int listenerCount(String id, long now) {
        long from = now - settings.listenerWindow().toMillis();
        return (int) (long) redis.await("listeners", redis.next().zcount(
                RedisKeys.bytes(new RedisKeys(id).listeners()),
                Range.from(Range.Boundary.excluding((double) from), Range.Boundary.unbounded())));
    }

    @Override
    public int liveSessionCount(long now) {
        return registry.count(now);
    }

    @Override
    public List<SessionRecord> liveSessions(long now) {
        List<SessionRecord> sessions = new ArrayList<>();
        for (String id : registry.liveIds(now)) session(id, now).ifPresent(sessions::add);
        return sessions;
    }

    @Override
    public List<String> expireIdleSessions(long now) {
        SessionRegistry.Expiry expiry = registry.expire(now);
        expiry.idle().forEach(this::forgetCached);
        return expiry.removedHere();
    }

    @Override
    public List<String> ping() {
        return redis.pingEach();
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public void close() {
        redis.close();
    }

    /** Forgets what this node holds of a session that ended or is gone. */
    private void forgetCached(String id) {
        covers.forget(id);
        registry.forget(id);
        chunkCache.forget(id);
    }
}
