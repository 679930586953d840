package dev.musicshare.redis;

import java.nio.charset.StandardCharsets;

/**
 * One session's Redis keys. The id in braces is a Redis Cluster hash tag: all of a session's keys live in one slot,
 * so a Lua script may touch them together.
 */
record RedisKeys(String id) {
    String session() {
        return "session:{" + id + "}";
    }

    String metadata() {
        return session() + ":metadata";
    }

    String audio() {
        return session() + ":audio";
    }

    /** Sequence numbers with each chunk's duration: ranges over the buffer without fetching the chunks. */
    String audioIndex() {
        return session() + ":audio:index";
    }

    String listeners() {
        return session() + ":listeners";
    }

    /** Listener id to display name. */
    String listenerNames() {
        return session() + ":names";
    }

    /** A pub/sub channel, not a key; named with the same hash tag so sharded pub/sub would keep it in the slot. */
    String events() {
        return session() + ":events";
    }

    byte[][] all() {
        return of(session(), metadata(), audio(), audioIndex(), listeners(), listenerNames());
    }

    byte[][] audioKeys() {
        return of(session(), audio(), audioIndex());
    }

    byte[][] of(String... names) {
        byte[][] keys = new byte[names.length][];
        for (int i = 0; i < names.length; i++) keys[i] = bytes(names[i]);
        return keys;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
