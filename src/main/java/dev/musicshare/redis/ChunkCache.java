package dev.musicshare.redis;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Chunk JSON this node already holds, so the Redis store fetches each chunk from Redis once per node rather than once
 * per poll: the desktop receiver polls every 400 ms, five of them per session, and a chunk is 235 KB.
 *
 * <p>A chunk is named by its session, the session's <em>epoch</em> (a random value set when the session is created,
 * so a reused id never matches chunks of its earlier life) and its <em>generation</em> (the session's write counter
 * when Redis stored it). A sender may post a sequence number again, replacing the chunk; the replacement has a new
 * generation, so what this node holds under the old one is never served for it.
 *
 * <p>Bounded by bytes, oldest insertion evicted first: listeners ask for the newest chunks, and a joiner asking for the
 * whole buffer is a miss served by Redis, as before. Thread-safe; every operation is a few map steps under one lock.
 */
final class ChunkCache {
    private record Key(String session, long sequence) {}

    private record Entry(long generation, byte[] json) {}

    /**
     * What this node knows of a session: its epoch, the highest generation it has been given, and when it last
     * wrote one of the session's chunks itself (System.nanoTime(), 0 for never).
     */
    private record Known(String epoch, long generation, long writtenAt) {}

    /** A session written here this recently has its sender on this node: its new chunks reach the cache first. */
    private static final long WRITER_WINDOW_NANOS = 10_000_000_000L;

    /** Sessions remembered at most; beyond it all is dropped (only an optimisation is lost). */
    private static final int MAX_SESSIONS = 10_000;

    private final long budgetBytes;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();
    private final Map<String, Known> sessions = new HashMap<>();
    private long bytes;

    ChunkCache(long budgetBytes) {
        if (budgetBytes < 0) throw new IllegalArgumentException("budgetBytes must not be negative, was " + budgetBytes);
        this.budgetBytes = budgetBytes;
    }

    /**
     * The highest generation held (or evicted since) for this session in its current epoch, or -1: Redis need not
     * send chunks of that generation or older, only name them. -1 while the cache is off.
     */
    synchronized long knownGeneration(String session) {
        Known known = sessions.get(session);
        return known == null ? -1 : known.generation();
    }

    /**
     * True while this node writes the session's chunks: then every new chunk is held here as soon as Redis has
     * stored it, and a read that raced ahead of that is better served by asking again than by having Redis send it.
     */
    synchronized boolean writtenHere(String session) {
        Known known = sessions.get(session);
        return known != null && known.writtenAt() != 0 && System.nanoTime() - known.writtenAt() < WRITER_WINDOW_NANOS;
    }

    /** Holds a chunk this node wrote to Redis itself. */
    synchronized void putWritten(String session, String epoch, long sequence, long generation, byte[] json) {
        put(session, epoch, sequence, generation, json);
        Known known = sessions.get(session);
        if (known != null) sessions.put(session, new Known(known.epoch(), known.generation(), System.nanoTime()));
    }

    /** Holds a chunk; an epoch other than the one held for the session first drops all the session held. */
    synchronized void put(String session, String epoch, long sequence, long generation, byte[] json) {
        if (budgetBytes == 0 || epoch.isEmpty() || generation <= 0 || json.length > budgetBytes) return;
        Known known = sessions.get(session);
        if (known == null || !known.epoch().equals(epoch)) {
            if (known != null) forgetChunks(session);
            if (known == null && sessions.size() >= MAX_SESSIONS) clear();
            known = new Known(epoch, 0, 0);
        }
        sessions.put(session, new Known(epoch, Math.max(known.generation(), generation), known.writtenAt()));
        Entry previous = entries.remove(new Key(session, sequence));
        if (previous != null) bytes -= previous.json().length;
        entries.put(new Key(session, sequence), new Entry(generation, json));
        bytes += json.length;
        evictBeyondBudget();
    }

    /** The chunk's JSON if this node holds exactly that write of it, else null. */
    synchronized byte[] get(String session, String epoch, long sequence, long generation) {
        Known known = sessions.get(session);
        if (known == null || !known.epoch().equals(epoch)) return null;
        Entry entry = entries.get(new Key(session, sequence));
        return entry != null && entry.generation() == generation ? entry.json() : null;
    }

    /** Drops a session that ended or whose epoch changed. */
    synchronized void forget(String session) {
        if (sessions.remove(session) != null) forgetChunks(session);
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }

    private void clear() {
        sessions.clear();
        entries.clear();
        bytes = 0;
    }

    private void forgetChunks(String session) {
        for (Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Entry> entry = it.next();
            if (entry.getKey().session().equals(session)) {
                bytes -= entry.getValue().json().length;
                it.remove();
            }
        }
    }

    private void evictBeyondBudget() {
        Iterator<Entry> oldestFirst = entries.values().iterator();
        while (bytes > budgetBytes && oldestFirst.hasNext()) {
            bytes -= oldestFirst.next().json().length;
            oldestFirst.remove();
        }
        // Sessions whose chunks were all evicted keep their entry in `sessions`: it stays small (one per session the
        // node reads) and is dropped when the session ends.
    }
}
