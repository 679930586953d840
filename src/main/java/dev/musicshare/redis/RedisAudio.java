package dev.musicshare.redis;

import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.redis.RedisScripts.Script;
import dev.musicshare.redis.ScriptReplies.AudioWrite;
import dev.musicshare.redis.ScriptReplies.ChunkListing;
import dev.musicshare.redis.ScriptReplies.ChunkRef;
import dev.musicshare.store.BufferedChunk;
import dev.musicshare.store.Released;
import dev.musicshare.store.StoreSettings;
import dev.musicshare.store.StoredChunk;
import dev.musicshare.store.WriteOutcome;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * A session's audio in Redis ({@code audio.lua}: the buffer and its release frontier, publishing what it releases
 * to the session's events channel) and the protocol that has Redis send each chunk to a node once: a read names the
 * highest generation the node holds ({@link ChunkCache}), Redis leaves out chunks of that generation or older, and
 * the node fills them in from memory.
 */
final class RedisAudio {
    /** A read is asked again with an earlier generation, then for everything, when chunks it counted on were evicted. */
    private static final int READ_ATTEMPTS = 3;

    private final RedisCalls redis;
    private final StoreSettings settings;
    private final ChunkCache cache;
    private final ShareMetrics metrics;
    /** PUBLISH, or SPUBLISH on a cluster ({@link EventTransport#publishCommand}). */
    private final String publishCommand;

    RedisAudio(RedisCalls redis, StoreSettings settings, ChunkCache cache, ShareMetrics metrics, String publishCommand) {
        this.redis = redis;
        this.publishCommand = publishCommand;
        this.settings = settings;
        this.cache = cache;
        this.metrics = metrics;
    }

    /** A listing's chunks, each with its JSON from Redis or from this node's memory. */
    record Filled<R extends ChunkListing>(R listing, List<BufferedChunk> chunks) {}

    /**
     * Appends a chunk; what it releases is published to the session's events channel by the same script. With
     * {@code REDIS_WAIT_REPLICAS} it returns once that many replicas hold the chunk ({@link RedisCalls#durableScript}).
     */
    AudioWrite append(String id, StoredChunk chunk, long decodedBytes, String senderKeyHash, long now) {
        RedisKeys keys = new RedisKeys(id);
        AudioWrite write = ScriptReplies.audioWrite(redis.durableScript("audio", Script.AUDIO,
                ScriptOutputType.MULTI, keys.audioKeys(), "append", now, settings.reorderWindow().toMillis(),
                settings.audioTtl().toMillis(), publishCommand, EventCodec.channel(id), chunk.sequenceNumber(),
                chunk.json(), chunk.durationMicros(), decodedBytes, settings.audioBufferChunks(),
                settings.audioBufferDuration().toNanos() / 1000,
                settings.sessionTimeout().toMillis(), orEmpty(senderKeyHash)));
        if (write.generation() > 0) {
            cache.putWritten(id, write.epoch(), chunk.sequenceNumber(), write.generation(), chunk.json());
        }
        return write;
    }

    /** Skips holes whose reorder window has passed; publishes and returns what that releases. */
    Released releaseDue(String id, long now) {
        AudioWrite write = ScriptReplies.audioWrite(redis.script("audio", Script.AUDIO, ScriptOutputType.MULTI,
                new RedisKeys(id).audioKeys(), "release", now, settings.reorderWindow().toMillis(),
                settings.audioTtl().toMillis(), publishCommand, EventCodec.channel(id)));
        return new Released(released(id, write, null), write.holdUntil());
    }

    /** The chunks an append or release let through, each also kept in this node's memory for its pollers. */
    List<StoredChunk> released(String id, AudioWrite write, StoredChunk appended) {
        if (write.outcome() != WriteOutcome.WRITTEN) return List.of();
        List<StoredChunk> chunks = new ArrayList<>(write.released().size());
        for (ChunkRef ref : write.released()) {
            if (appended != null && ref.leftOut() && ref.sequence() == appended.sequenceNumber()) {
                chunks.add(appended);
            } else {
                cache.put(id, write.epoch(), ref.sequence(), ref.generation(), ref.json());
                chunks.add(new StoredChunk(ref.sequence(), ref.json(), 0));
            }
        }
        return chunks;
    }

    /** A listener's read of the released chunks after {@code since}; empty when no session holds the id. */
    Optional<List<BufferedChunk>> read(String id, long since, String listenerId, long now) {
        RedisKeys keys = new RedisKeys(id);
        // Where this node writes the session, its chunks reach the cache as Redis stores them; a read queued before
        // that would otherwise have Redis send them in full, so it asks for names only and fetches any it lacks.
        long known = cache.writtenHere(id) ? Long.MAX_VALUE : cache.knownGeneration(id);
        return Optional.ofNullable(fill(id, known, generation -> ScriptReplies.audioRead(redis.script("read",
                Script.READ_AUDIO, ScriptOutputType.MULTI, RedisKeys.of(keys.session(), keys.listeners(),
                        keys.audio(), keys.audioIndex()), since, orEmpty(listenerId), now,
                settings.listenerWindow().toMillis(), settings.sessionTimeout().toMillis(), generation))
                .orElse(null))).map(Filled::chunks);
    }

    /**
     * Asks {@code ask} (with the highest generation this node holds) for a listing, and fills in the chunks Redis left
     * out from memory. Should some have been evicted in between, asks again from the oldest missing generation on, and
     * finally for everything. Null when {@code ask} answers null (no session).
     */
    <R extends ChunkListing> Filled<R> fill(String id, long known, LongFunction<R> ask) {
        for (int attempt = 1; ; attempt++) {
            R listing = ask.apply(known);
            if (listing == null) return null;
            List<BufferedChunk> chunks = new ArrayList<>(listing.chunks().size());
            long oldestMissing = Long.MAX_VALUE;
            int sentByRedis = 0;
            for (ChunkRef ref : listing.chunks()) {
                byte[] json = ref.json();
                if (!ref.leftOut()) {
                    sentByRedis++;
                    cache.put(id, listing.epoch(), ref.sequence(), ref.generation(), json);
                } else {
                    json = cache.get(id, listing.epoch(), ref.sequence(), ref.generation());
                    if (json == null) oldestMissing = Math.min(oldestMissing, ref.generation());
                }
                chunks.add(new BufferedChunk(ref.sequence(), json));
            }
            if (oldestMissing == Long.MAX_VALUE) {
                metrics.chunksRead(chunks.size() - sentByRedis, sentByRedis);
                return new Filled<>(listing, chunks);
            }
            known = attempt + 1 < READ_ATTEMPTS ? oldestMissing - 1 : -1;
        }
    }

    /** The highest generation of the session's chunks this node holds, for a catch-up to name. */
    long knownGeneration(String id) {
        return cache.knownGeneration(id);
    }

    static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
