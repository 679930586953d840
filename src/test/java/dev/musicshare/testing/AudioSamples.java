package dev.musicshare.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Builds audio chunk payloads the way a sender does: float32 little-endian, interleaved, base64. */
public final class AudioSamples {
    private AudioSamples() {}

    /** {@code frames} frames of {@code channels} samples whose values encode the sequence number. */
    public static String base64(int frames, int channels, long sequence) {
        ByteBuffer buffer = ByteBuffer.allocate(frames * channels * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames * channels; i++) buffer.putFloat((float) Math.sin(sequence * 1000 + i) * 0.5f);
        return Base64.getEncoder().encodeToString(buffer.array());
    }

    public static String chunkJson(long sequence, int frames) {
        return chunkJson(sequence, base64(frames, 2, sequence), 44100, 2);
    }

    public static String chunkJson(long sequence, String data, int sampleRate, int channels) {
        return "{\"data\":\"" + data + "\",\"sampleRate\":" + sampleRate + ",\"channels\":" + channels
                + ",\"timestamp\":" + (1_700_000_000_000L + sequence) + ",\"sequenceNumber\":" + sequence + "}";
    }
}
