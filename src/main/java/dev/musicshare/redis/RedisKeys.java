package dev.musicshare.redis;

import java.nio.charset.StandardCharsets;

/**
 * Redis key names. A session's keys all carry its id in braces, a Redis Cluster hash tag: they live in one slot, so
 * one Lua script may touch them together, and sessions spread over a cluster's shards by id. One key spans
 * sessions: the live-session {@link #REGISTRY}, which lives in a slot of its own and is only ever touched alone
 * (see {@link SessionRegistry}).
 */
record RedisKeys(String id) {
    /** Sorted set: live session ids scored by their expiry deadline (epoch ms). Spans sessions. */
    static final String REGISTRY = "sessions:live";

    /** Hash: the session's state (see the README's key table). */
    String session() {
        return "session:{" + id + "}";
    }

    String metadata() {
        return session() + ":metadata";
    }

    /** Sorted set: each chunk's JSON by sequence number. */
    String audio() {
        return session() + ":audio";
    }

    /** Sequence numbers with each chunk's duration and generation: ranges over the buffer without the chunks. */
    String audioIndex() {
        return session() + ":audio:index";
    }

    /** Sorted set: listener ids by when they were last seen. */
    String listeners() {
        return session() + ":listeners";
    }

    /** Listener id to display name. */
    String listenerNames() {
        return session() + ":names";
    }

    /** A pub/sub channel, not a key; named with the session's hash tag so sharded pub/sub keeps it in the slot. */
    String events() {
        return session() + ":events";
    }

    byte[][] all() {
        return of(session(), metadata(), audio(), audioIndex(), listeners(), listenerNames());
    }

    byte[][] audioKeys() {
        return of(session(), audio(), audioIndex());
    }

    static byte[][] of(String... names) {
        byte[][] keys = new byte[names.length][];
        for (int i = 0; i < names.length; i++) keys[i] = bytes(names[i]);
        return keys;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
