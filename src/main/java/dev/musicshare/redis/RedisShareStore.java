package dev.musicshare.redis;

import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.redis.RedisScripts.Script;
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
import dev.musicshare.store.StoreFullException;
import dev.musicshare.store.StoreSettings;
import dev.musicshare.store.StoreUnavailableException;
import dev.musicshare.store.StoredChunk;
import dev.musicshare.store.TimelinePlacement;
import dev.musicshare.store.WriteOutcome;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ZAddArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared store: sessions in Redis, so any number of nodes serve them. Each operation on a session is one Lua
 * script on that session's keys (they share the hash tag {@code {id}}, hence one cluster slot); the live-session
 * registry is a separate key with scripts of its own. TTLs are real Redis TTLs.
 *
 * <p>Reads are cached per node where Redis's reply would be the same bytes again: a cover is fetched once per version
 * and a chunk once per write ({@link ChunkCache}); Redis stays the only source of which chunks a listener gets.
 *
 * <p>A few multiplexed connections, taken in turn, serve all requests ({@link RedisConnections}). While Redis is unreachable, commands are rejected at once
 * (rather than queued) and every call throws {@link StoreUnavailableException} within the command timeout; the
 * client reconnects by itself, and scripts Redis forgot on a restart are loaded again.
 */
public final class RedisShareStore implements ShareStore {
    private static final Logger log = LoggerFactory.getLogger(RedisShareStore.class);
    static final String REGISTRY = "sessions:live";
    private static final String THUMBNAIL_VERSION = "thumbnailVersion";
    private static final int MAX_REMEMBERED_SESSIONS = 10_000;
    /**
     * How often a node moves a session's registry deadline while its sender is active. The deadline is a session
     * timeout (minutes) after the last refresh, so a session may expire at most this much early; refreshing on every
     * chunk was one more Redis command per chunk.
     */
    private static final long REGISTRY_REFRESH_MILLIS = 1_000;
    /** A read retries once with an earlier generation when chunks it expected to hold were evicted meanwhile. */
    private static final int READ_ATTEMPTS = 3;

    private final StoreSettings settings;
    private final ShareMetrics metrics;
    private final Duration timeout;
    private final RedisClient client;
    private final RedisConnections connections;
    private final RedisScripts scripts;
    /** The cover version this node last wrote per session: lets unchanged covers be left out of writes. */
    private final ConcurrentHashMap<String, String> thumbnailsWritten = new ConcurrentHashMap<>();
    /**
     * The cover this node last read per session: a metadata read names its version and Redis leaves the (often
     * 30 KB or more) thumbnailData out while it is unchanged. The desktop receiver reads metadata twice a second
     * per listener, so without this most of the node's Redis traffic was the same cover again and again.
     */
    private final ConcurrentHashMap<String, Cover> coversRead = new ConcurrentHashMap<>();
    private final ChunkCache chunkCache;
    /** When this node last moved each session's registry deadline. */
    private final ConcurrentHashMap<String, Long> registryRefreshed = new ConcurrentHashMap<>();

    private record Cover(String version, String data) {}

    /** Connects at once: an unreachable Redis at start-up is a configuration error, reported as such. */
    public RedisShareStore(RedisOptions options, StoreSettings settings, ShareMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.timeout = options.timeout();
        this.chunkCache = new ChunkCache(options.chunkCacheBytes());
        metrics.gauge("musicshare.store.chunk.cache.bytes", "Chunk JSON this node holds to spare Redis re-sending it",
                chunkCache::bytes);
        client = RedisConnector.forCommands(options);
        try {
            connections = new RedisConnections(client, options.connections());
        } catch (RedisException e) {
            client.shutdown();
            throw new StoreUnavailableException("Redis at " + RedisConnector.describe(options) + " is unreachable", e);
        }
        scripts = new RedisScripts(connections::next);
        log.atInfo().addKeyValue("redis", RedisConnector.describe(options)).addKeyValue("connections", options.connections())
                .log("connected to Redis");
    }

    @Override
    public StartOutcome start(String id, String senderKeyHash, long now) {
        long deadline = now + settings.sessionTimeout().toMillis();
        String reserved = text(await("start", scripts.run(Script.START, ScriptOutputType.STATUS,
                keys(REGISTRY), args(id, now, deadline, settings.maxSessions()))));
        StartOutcome outcome = StartOutcome.valueOf(reserved);
        if (outcome == StartOutcome.STARTED) {
            RedisKeys keys = new RedisKeys(id);
            String epoch = Long.toHexString(ThreadLocalRandom.current().nextLong());
            try {
                await("start", scripts.run(Script.CREATE, ScriptOutputType.STATUS, keys.all(),
                        args(now, settings.sessionTimeout().toMillis(), orEmpty(senderKeyHash), epoch)));
            } catch (StoreUnavailableException e) {
                // The two steps cannot be one script (the registry spans sessions); a refused start changes nothing.
                connections.next().zrem(RedisKeys.bytes(REGISTRY), RedisKeys.bytes(id));
                throw e;
            }
        }
        return outcome;
    }

    @Override
    public Optional<SessionRecord> session(String id, long now) {
        List<byte[]> fields = await("session", connections.next().hmget(RedisKeys.bytes(new RedisKeys(id).session()),
                RedisKeys.bytes("active"), RedisKeys.bytes("startTime"), RedisKeys.bytes("lastActivity"),
                RedisKeys.bytes("stoppedAt"), RedisKeys.bytes("bytes"), RedisKeys.bytes("chunks"),
                RedisKeys.bytes("peakListeners"), RedisKeys.bytes("epoch")).toCompletableFuture()
                .thenApply(values -> values.stream().map(v -> v.getValueOrElse(null)).toList()));
        return record(id, new ArrayList<Object>(fields));
    }

    /**
     * Senders repeat metadata up to 4 times a second with the same ~100 KB cover; when this node wrote that cover
     * version last, only its fingerprint is sent and the script keeps the stored image.
     */
    @Override
    public WriteOutcome putMetadata(String id, Map<String, String> fields, String senderKeyHash, long now) {
        String version = fields.get(THUMBNAIL_VERSION);
        String outcome = "NEED_THUMBNAIL";
        if (version != null && version.equals(thumbnailsWritten.get(id))) {
            Map<String, String> withoutCover = new HashMap<>(fields);
            withoutCover.remove("thumbnailData");
            outcome = writeMetadata(id, withoutCover, version, senderKeyHash, now);
        }
        if (outcome.equals("NEED_THUMBNAIL")) outcome = writeMetadata(id, fields, "", senderKeyHash, now);
        WriteOutcome written = WriteOutcome.valueOf(outcome);
        if (written == WriteOutcome.WRITTEN) {
            rememberThumbnail(id, version);
            refreshRegistry(id, now);
        }
        return written;
    }

    private String writeMetadata(String id, Map<String, String> fields, String keepVersion, String senderKeyHash,
            long now) {
        RedisKeys keys = new RedisKeys(id);
        List<Object> args = new ArrayList<>(List.of(now, settings.sessionTimeout().toMillis(),
                settings.metadataTtl().toMillis(), keepVersion, orEmpty(senderKeyHash)));
        fields.forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        return text(await("metadata", scripts.run(Script.METADATA, ScriptOutputType.STATUS,
                keys.of(keys.session(), keys.metadata()), args(args.toArray()))));
    }

    private void rememberThumbnail(String id, String version) {
        if (version == null) {
            thumbnailsWritten.remove(id);
            return;
        }
        if (thumbnailsWritten.size() >= MAX_REMEMBERED_SESSIONS) thumbnailsWritten.clear(); // only an optimisation
        thumbnailsWritten.put(id, version);
    }

    @Override
    public TimelinePlacement placeOnTimeline(String id, long sequenceNumber, long durationMicros,
            long senderTimestamp, String senderKeyHash, long nowMicros) {
        List<Object> reply = await("timeline", scripts.run(Script.TIMELINE, ScriptOutputType.MULTI,
                keys(new RedisKeys(id).session()), args(sequenceNumber, durationMicros, senderTimestamp, nowMicros,
                        orEmpty(senderKeyHash), SessionTimeline.DRIFT_LIMIT_MICROS, SessionTimeline.LATE_LIMIT_MICROS)));
        WriteOutcome outcome = WriteOutcome.valueOf(text(reply.get(0)));
        return new TimelinePlacement(outcome, outcome == WriteOutcome.WRITTEN ? number(reply.get(1)) : 0);
    }

    @Override
    public AppendResult appendChunk(String id, StoredChunk chunk, long decodedBytes, String senderKeyHash, long now) {
        RedisKeys keys = new RedisKeys(id);
        byte[][] args = args("append", now, settings.reorderWindow().toMillis(), settings.audioTtl().toMillis(),
                EventCodec.channel(id), chunk.sequenceNumber(), chunk.json(), chunk.durationMicros(), decodedBytes,
                settings.audioBufferChunks(), settings.audioBufferDuration().toNanos() / 1000,
                settings.sessionTimeout().toMillis(), orEmpty(senderKeyHash));
        List<Object> reply = await("audio", scripts.run(Script.AUDIO, ScriptOutputType.MULTI, keys.audioKeys(), args));
        WriteOutcome outcome = WriteOutcome.valueOf(text(reply.get(0)));
        if (outcome != WriteOutcome.WRITTEN) return AppendResult.refused(outcome);
        refreshRegistry(id, now);
        long generation = (Long) reply.get(4);
        if (generation > 0) {
            chunkCache.putWritten(id, text(reply.get(3)), chunk.sequenceNumber(), generation, chunk.json());
        }
        Released released = released(id, reply, chunk);
        return new AppendResult(outcome, ((Long) reply.get(1)) == 1, released.chunks(), released.holdUntil());
    }

    @Override
    public Released releaseDue(String id, long now) {
        RedisKeys keys = new RedisKeys(id);
        List<Object> reply = await("audio", scripts.run(Script.AUDIO, ScriptOutputType.MULTI, keys.audioKeys(),
                args("release", now, settings.reorderWindow().toMillis(), settings.audioTtl().toMillis(),
                        EventCodec.channel(id))));
        return released(id, reply, null);
    }

    @Override
    public StopResult stop(String id, String senderKeyHash, long now) {
        RedisKeys keys = new RedisKeys(id);
        List<Object> state = await("stop", scripts.run(Script.STOP, ScriptOutputType.MULTI,
                keys.of(keys.session(), keys.listeners()), args(now, settings.stopGrace().toMillis(),
                orEmpty(senderKeyHash))));
        if (state.isEmpty()) return StopResult.refused(WriteOutcome.NOT_FOUND);
        if (text(state.get(0)).equals("FORBIDDEN")) return StopResult.refused(WriteOutcome.FORBIDDEN);
        forgetCached(id);
        await("stop", connections.next().zrem(RedisKeys.bytes(REGISTRY), RedisKeys.bytes(id)).toCompletableFuture());
        return new StopResult(WriteOutcome.WRITTEN, record(id, state).orElseThrow());
    }

    @Override
    public MetadataRead readMetadata(String id, String listenerId, long now) {
        Cover held = coversRead.get(id);
        List<Object> reply = read("metadata", id, held == null ? "" : held.version(), listenerId, now, -1);
        if (reply == null) {
            forgetCached(id);
            return MetadataRead.NO_SESSION;
        }
        return new MetadataRead(true, coverFilledIn(id, held, pairs(reply)));
    }

    /** Puts back the cover Redis left out because this node holds it, or remembers the one Redis sent. */
    private Map<String, String> coverFilledIn(String id, Cover held, Map<String, String> fields) {
        String version = fields.get(THUMBNAIL_VERSION);
        String data = fields.get("thumbnailData");
        if (version != null && data == null && held != null && version.equals(held.version())) {
            fields.put("thumbnailData", held.data()); // left out by Redis: the version says it is the one held
        } else if (version != null && data != null) {
            // Bounded like the sessions it belongs to; clearing only costs a full read of each cover once more.
            if (coversRead.size() >= 2 * settings.maxSessions()) coversRead.clear();
            coversRead.put(id, new Cover(version, data));
        } else {
            coversRead.remove(id);
        }
        return fields;
    }

    private static Map<String, String> pairs(List<Object> flat) {
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) fields.put(text(flat.get(i)), text(flat.get(i + 1)));
        return fields;
    }

    /**
     * Redis names the released chunks and sends only those newer than any this node holds; the rest come from the
     * {@link ChunkCache}, each checked against the generation Redis names. Should some have been evicted in between,
     * the read is asked again from the oldest missing generation on, and finally for everything.
     */
    @Override
    public Optional<List<BufferedChunk>> readChunks(String id, long since, String listenerId, long now) {
        // Where this node writes the session, its chunks reach the cache as Redis stores them; a read queued before
        // that would otherwise have Redis send them in full, so it asks for names only and fetches any it lacks.
        long known = chunkCache.writtenHere(id) ? Long.MAX_VALUE : chunkCache.knownGeneration(id);
        for (int attempt = 1; ; attempt++) {
            List<Object> reply = read("audio", id, Long.toString(since), listenerId, now, known);
            if (reply == null) {
                forgetCached(id);
                return Optional.empty();
            }
            String epoch = text(reply.get(0));
            List<BufferedChunk> chunks = new ArrayList<>();
            long oldestMissing = Long.MAX_VALUE;
            int sentByRedis = 0;
            for (int i = 1; i + 2 < reply.size(); i += 3) {
                long sequence = (Long) reply.get(i);
                long generation = (Long) reply.get(i + 1);
                byte[] json = (byte[]) reply.get(i + 2);
                if (json.length > 0) {
                    sentByRedis++;
                    chunkCache.put(id, epoch, sequence, generation, json);
                } else {
                    json = chunkCache.get(id, epoch, sequence, generation);
                    if (json == null) oldestMissing = Math.min(oldestMissing, generation);
                }
                chunks.add(new BufferedChunk(sequence, json));
            }
            if (oldestMissing == Long.MAX_VALUE) {
                metrics.chunksRead(chunks.size() - sentByRedis, sentByRedis);
                return Optional.of(chunks);
            }
            known = attempt + 1 < READ_ATTEMPTS ? oldestMissing - 1 : -1;
        }
    }

    @Override
    public CatchUpRead catchUp(String id, long since, String listenerId, long now) {
        RedisKeys keys = new RedisKeys(id);
        Cover held = coversRead.get(id);
        long known = chunkCache.knownGeneration(id);
        for (int attempt = 1; ; attempt++) {
            List<Object> reply = await("catchup", scripts.run(Script.CATCHUP, ScriptOutputType.MULTI,
                    keys.of(keys.session(), keys.listeners(), keys.metadata(), keys.audio(), keys.audioIndex()),
                    args(since, orEmpty(listenerId), now, settings.listenerWindow().toMillis(),
                            settings.sessionTimeout().toMillis(), held == null ? "" : held.version(), known)));
            if (reply.isEmpty()) {
                forgetCached(id);
                return CatchUpRead.NO_SESSION;
            }
            String epoch = text(reply.get(2));
            @SuppressWarnings("unchecked")
            List<Object> chunkTriples = (List<Object>) reply.get(4);
            List<StoredChunk> chunks = new ArrayList<>();
            long oldestMissing = Long.MAX_VALUE;
            for (int i = 0; i + 2 < chunkTriples.size(); i += 3) {
                long sequence = (Long) chunkTriples.get(i);
                long generation = (Long) chunkTriples.get(i + 1);
                byte[] json = (byte[]) chunkTriples.get(i + 2);
                if (json.length > 0) {
                    chunkCache.put(id, epoch, sequence, generation, json);
                } else {
                    json = chunkCache.get(id, epoch, sequence, generation);
                    if (json == null) oldestMissing = Math.min(oldestMissing, generation);
                }
                chunks.add(new StoredChunk(sequence, json, 0));
            }
            if (oldestMissing != Long.MAX_VALUE) {
                known = attempt + 1 < READ_ATTEMPTS ? oldestMissing - 1 : -1;
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, String> metadata = coverFilledIn(id, held, pairs((List<Object>) reply.get(3)));
            return new CatchUpRead(true, text(reply.get(0)).equals("true"), metadata, chunks, (Long) reply.get(1));
        }
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
        await("names", scripts.run(Script.NAMES, ScriptOutputType.INTEGER,
                keys.of(keys.session(), keys.listeners(), keys.listenerNames()), args(args.toArray())));
    }

    @Override
    public List<String> listenerNames(String id, long now) {
        RedisKeys keys = new RedisKeys(id);
        List<Object> names = await("names", scripts.run(Script.NAMES, ScriptOutputType.MULTI,
                keys.of(keys.session(), keys.listeners(), keys.listenerNames()),
                args("get", now, settings.listenerWindow().toMillis())));
        return names.stream().map(RedisShareStore::text).toList();
    }

    @Override
    public void touchListeners(String id, Collection<String> listenerIds, long now) {
        if (listenerIds.isEmpty()) return;
        RedisKeys keys = new RedisKeys(id);
        List<Object> args = new ArrayList<>(List.of(now, settings.listenerWindow().toMillis(),
                settings.sessionTimeout().toMillis()));
        args.addAll(listenerIds);
        await("listeners", scripts.run(Script.LISTENERS, ScriptOutputType.INTEGER,
                keys.of(keys.session(), keys.listeners()), args(args.toArray())));
    }

    /** A plain count, no write: a full Redis refuses writes, and status and metadata answers need this. */
    @Override
    public int listenerCount(String id, long now) {
        long from = now - settings.listenerWindow().toMillis();
        return (int) (long) await("listeners", connections.next().zcount(RedisKeys.bytes(new RedisKeys(id).listeners()),
                io.lettuce.core.Range.from(io.lettuce.core.Range.Boundary.excluding((double) from),
                        io.lettuce.core.Range.Boundary.unbounded())).toCompletableFuture());
    }

    @Override
    public int liveSessionCount(long now) {
        return (int) (long) await("count", connections.next().zcount(RedisKeys.bytes(REGISTRY),
                io.lettuce.core.Range.create((double) now, Double.POSITIVE_INFINITY)).toCompletableFuture());
    }

    @Override
    public List<SessionRecord> liveSessions(long now) {
        List<byte[]> ids = await("sessions", connections.next().zrangebyscore(RedisKeys.bytes(REGISTRY),
                io.lettuce.core.Range.create((double) now, Double.POSITIVE_INFINITY)).toCompletableFuture());
        List<SessionRecord> sessions = new ArrayList<>();
        for (byte[] id : ids) session(text(id), now).ifPresent(sessions::add);
        return sessions;
    }

    @Override
    public List<String> expireIdleSessions(long now) {
        byte[] registry = RedisKeys.bytes(REGISTRY);
        List<byte[]> idle = await("expiry", connections.next().zrangebyscore(registry,
                io.lettuce.core.Range.create(Double.NEGATIVE_INFINITY, (double) now)).toCompletableFuture());
        List<String> expired = new ArrayList<>();
        for (byte[] id : idle) {
            forgetCached(text(id));
            // Only the node whose ZREM removes the entry reports it, so each expiry is announced once.
            if (await("expiry", connections.next().zrem(registry, id).toCompletableFuture()) == 1) expired.add(text(id));
        }
        return expired;
    }

    @Override
    public void ping() {
        await("ping", connections.next().ping().toCompletableFuture());
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public void close() {
        connections.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /** {@code null} when no session holds the id, else the values after the script's found-marker. */
    private List<Object> read(String mode, String id, String since, String listenerId, long now, long known) {
        RedisKeys keys = new RedisKeys(id);
        byte[][] scriptKeys = mode.equals("audio") ? keys.of(keys.session(), keys.listeners(), keys.audio(),
                keys.audioIndex()) : keys.of(keys.session(), keys.listeners(), keys.metadata());
        List<Object> reply = await("read", scripts.run(Script.READ, ScriptOutputType.MULTI, scriptKeys,
                args(since, listenerId == null ? "" : listenerId, now, settings.listenerWindow().toMillis(),
                        settings.sessionTimeout().toMillis(), mode, known)));
        if (text(reply.get(0)).equals("N")) return null;
        return reply.subList(1, reply.size());
    }

    /** Keeps the registry's deadline in step with the session's TTL; sent alongside, not waited for. */
    private void refreshRegistry(String id, long now) {
        Long last = registryRefreshed.get(id);
        if (last != null && now >= last && now - last < REGISTRY_REFRESH_MILLIS) return;
        if (registryRefreshed.size() >= MAX_REMEMBERED_SESSIONS) registryRefreshed.clear(); // only an optimisation
        registryRefreshed.put(id, now);
        connections.next().zadd(RedisKeys.bytes(REGISTRY), ZAddArgs.Builder.xx(), now + settings.sessionTimeout().toMillis(),
                RedisKeys.bytes(id)).whenComplete((changed, error) -> {
                    if (error != null) log.atWarn().addKeyValue("sessionId", id).log("registry not refreshed: {}",
                            error.getMessage());
                });
    }

    /** The chunks an append or release let through, each also kept in the node's cache for its pollers. */
    private Released released(String id, List<Object> reply, StoredChunk appended) {
        String epoch = text(reply.get(3));
        List<StoredChunk> chunks = new ArrayList<>();
        for (int i = 5; i + 2 < reply.size(); i += 3) {
            long sequence = (Long) reply.get(i);
            long generation = (Long) reply.get(i + 1);
            byte[] json = (byte[]) reply.get(i + 2);
            if (appended != null && json.length == 0 && sequence == appended.sequenceNumber()) {
                chunks.add(appended);
            } else {
                chunkCache.put(id, epoch, sequence, generation, json);
                chunks.add(new StoredChunk(sequence, json, 0));
            }
        }
        return new Released(chunks, (Long) reply.get(2));
    }

    /** Forgets what this node holds of a session that ended or is gone. */
    private void forgetCached(String id) {
        thumbnailsWritten.remove(id);
        coversRead.remove(id);
        registryRefreshed.remove(id);
        chunkCache.forget(id);
    }

    private static Optional<SessionRecord> record(String id, List<Object> state) {
        if (state.isEmpty() || state.get(0) == null) return Optional.empty();
        return Optional.of(new SessionRecord(id, text(state.get(0)).equals("true"), number(state.get(1)),
                number(state.get(2)), number(state.get(3)), number(state.get(4)), number(state.get(5)),
                (int) number(state.get(6)), state.size() > 7 && state.get(7) != null ? text(state.get(7)) : ""));
    }

    private <T> T await(String operation, CompletableFuture<T> future) {
        long began = System.nanoTime();
        try {
            T result = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            metrics.storeOperation(operation).record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
            return result;
        } catch (ExecutionException e) {
            if (isOutOfMemory(e.getCause())) {
                throw new StoreFullException("Redis refused the " + operation + " write: it is out of memory ("
                        + e.getCause().getMessage() + ")", e.getCause());
            }
            throw new StoreUnavailableException("Redis " + operation + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreUnavailableException("Redis " + operation + " timed out after " + timeout.toMillis()
                    + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for Redis " + operation, e);
        }
    }

    /** Redis's answer to a write while used memory is over maxmemory and nothing may be evicted. */
    private static boolean isOutOfMemory(Throwable error) {
        return error instanceof io.lettuce.core.RedisCommandExecutionException && error.getMessage() != null
                && error.getMessage().startsWith("OOM");
    }

    private static byte[][] keys(String... names) {
        byte[][] keys = new byte[names.length][];
        for (int i = 0; i < names.length; i++) keys[i] = RedisKeys.bytes(names[i]);
        return keys;
    }

    private static byte[][] args(Object... values) {
        byte[][] args = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            args[i] = values[i] instanceof byte[] raw ? raw : RedisKeys.bytes(String.valueOf(values[i]));
        }
        return args;
    }

    private static String text(Object value) {
        return value instanceof byte[] raw ? new String(raw, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(value);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static long number(Object value) {
        return value == null ? 0 : Long.parseLong(text(value));
    }
}
