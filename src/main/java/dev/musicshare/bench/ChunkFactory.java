package dev.musicshare.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Audio chunk bodies as a sender posts them: the samples are encoded once, and each body is that text between a
 * prefix and a suffix carrying the sequence number and the send time. The timestamp field carries epoch
 * microseconds so the listener side can measure latency finer than a millisecond.
 */
final class ChunkFactory {
    private final byte[] prefix;
    private final String suffixFormat;

    ChunkFactory(int chunkMillis, int sampleRate, int channels) {
        int frames = sampleRate * chunkMillis / 1000;
        ByteBuffer samples = ByteBuffer.allocate(frames * channels * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames * channels; i++) samples.putFloat((float) Math.sin(i * 0.0627) * 0.3f);
        String data = Base64.getEncoder().encodeToString(samples.array());
        prefix = ("{\"data\":\"" + data + "\",\"sampleRate\":" + sampleRate + ",\"channels\":" + channels
                + ",\"timestamp\":").getBytes(StandardCharsets.US_ASCII);
        suffixFormat = ",\"sequenceNumber\":%d}";
    }

    byte[] body(long sequence, long sentMicros) {
        byte[] suffix = (sentMicros + String.format(suffixFormat, sequence)).getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[prefix.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(suffix, 0, body, prefix.length, suffix.length);
        return body;
    }

    int size() {
        return body(0, 0).length;
    }

    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
