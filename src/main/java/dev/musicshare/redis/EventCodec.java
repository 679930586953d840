package dev.musicshare.redis;

import dev.musicshare.live.LiveEvent;
import dev.musicshare.share.AudioChunk;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a session's push events cross Redis: the pub/sub channel they go over, and the frame of each message. Every
 * node encodes and decodes them here; the audio script ({@code redis/audio.lua}) writes the one frame made in Redis.
 *
 * <p>The channel is {@code session:{id}:events}: it carries the session's hash tag, so on a cluster sharded pub/sub
 * keeps it on the shard that owns the session's keys.
 *
 * <p>Frames, told apart by their first byte:
 * <ul>
 *   <li>{@code {} — audio: the chunk's JSON exactly as stored, published by the script that releases it. Its
 *       sequence number is its last member (the canonical form, {@link AudioChunk#toJson(long)}), which is where
 *       this codec reads it. There is no header on purpose: building a framed copy of a 47 KB chunk in Lua cost Redis
 *       more than the whole PUBLISH (3,780–3,960 chunks/s against 5,160–5,380 without; docs/benchmarks.md).</li>
 *   <li>{@code M} and the metadata event's JSON (as {@link dev.musicshare.live.LiveEvents#metadata} builds it).</li>
 *   <li>{@code E} and the end reason ({@code stopped}, {@code expired}), ASCII.</li>
 * </ul>
 */
final class EventCodec {
    private static final byte AUDIO = '{';
    private static final byte METADATA = 'M';
    private static final byte ENDED = 'E';

    private EventCodec() {}

    /** The channel of a session's push events. */
    static String channel(String sessionId) {
        return new RedisKeys(sessionId).events();
    }

    static byte[] metadata(LiveEvent metadataEvent) {
        return framed(METADATA, metadataEvent.json());
    }

    static byte[] ended(String reason) {
        return framed(ENDED, reason.getBytes(StandardCharsets.US_ASCII));
    }

    /** The event a message stands for; null for an empty message or a frame type this build does not know. */
    static LiveEvent decode(byte[] message) {
        if (message.length == 0) return null;
        return switch (message[0]) {
            case AUDIO -> LiveEvent.audio(AudioChunk.sequenceNumberOf(message), message);
            case METADATA -> LiveEvent.of(LiveEvent.METADATA, Arrays.copyOfRange(message, 1, message.length));
            case ENDED -> LiveEvent.ended(new String(message, 1, message.length - 1, StandardCharsets.US_ASCII));
            default -> null;
        };
    }

    private static byte[] framed(byte type, byte[] payload) {
        byte[] message = new byte[payload.length + 1];
        message[0] = type;
        System.arraycopy(payload, 0, message, 1, payload.length);
        return message;
    }
}
