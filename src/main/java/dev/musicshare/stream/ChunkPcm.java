package dev.musicshare.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Base64;

/**
 * A released chunk decoded for the encoder: the samples out of the chunk's JSON ({@code GET /audio}'s shape: base64
 * of little-endian float32, interleaved) with the fields that place it.
 *
 * @param sequenceNumber the chunk's position in the session
 * @param timestamp      the sender's clock at capture, epoch millis
 * @param sampleRate     frames per second
 * @param channels       interleaved channels
 * @param samples        the interleaved samples
 * @param presentationTime when the chunk's first sample is to be heard, epoch milliseconds; NaN when the chunk
 *                       carries none
 */
record ChunkPcm(long sequenceNumber, long timestamp, int sampleRate, int channels, float[] samples,
        double presentationTime) {
    private static final JsonFactory JSON = new JsonFactory();

    long frames() {
        return samples.length / channels;
    }

    long durationMicros() {
        return frames() * 1_000_000L / sampleRate;
    }

    /**
     * Reads a chunk's JSON, which the server validated when the sender posted it.
     *
     * @throws IllegalArgumentException when it is not a chunk
     */
    static ChunkPcm parse(byte[] json) {
        long sequenceNumber = -1;
        long timestamp = 0;
        int sampleRate = 0;
        int channels = 0;
        double presentationTime = Double.NaN;
        byte[] data = null;
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("not a chunk object");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "data" -> data = Base64.getDecoder().decode(parser.getText());
                    case "sampleRate" -> sampleRate = parser.getIntValue();
                    case "channels" -> channels = parser.getIntValue();
                    case "timestamp" -> timestamp = parser.getLongValue();
                    case "sequenceNumber" -> sequenceNumber = parser.getLongValue();
                    case "presentationTime" -> presentationTime = parser.getDoubleValue();
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("chunk JSON unreadable: " + e.getMessage(), e);
        }
        if (data == null || sampleRate <= 0 || channels <= 0 || sequenceNumber < 0) {
            throw new IllegalArgumentException("chunk JSON lacks data, sampleRate, channels or sequenceNumber");
        }
        FloatBuffer floats = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] samples = new float[floats.remaining() / channels * channels];
        floats.get(samples);
        return new ChunkPcm(sequenceNumber, timestamp, sampleRate, channels, samples, presentationTime);
    }
}
