package dev.musicshare.config;

import java.time.Duration;

/**
 * How this node encodes Opus for listeners and serves {@code stream.ogg}.
 *
 * @param bitrate             Opus bits per second (OPUS_BITRATE)
 * @param burst               recent audio a new stream listener gets at once (STREAM_BURST_MS)
 * @param silenceAfter        how far a stream may fall behind the wall clock (the sender paused) before it carries
 *                            silence (STREAM_SILENCE_AFTER_MS)
 * @param listenerQueueBytes  bytes a stream listener may fall behind before it is dropped (STREAM_QUEUE_KB)
 */
public record OpusSettings(int bitrate, Duration burst, Duration silenceAfter, long listenerQueueBytes) {
    public static OpusSettings defaults() {
        return new OpusSettings(128_000, Duration.ofMillis(2_000), Duration.ofMillis(3_000), 256 * 1024);
    }
}
