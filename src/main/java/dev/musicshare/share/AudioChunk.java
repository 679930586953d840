package dev.musicshare.share;

import java.nio.charset.StandardCharsets;

/**
 * One slice of the sender's audio: base64 of little-endian float32 samples, interleaved by channel. Validated once
 * here, then kept and served as its canonical JSON bytes: the server never decodes the samples.
 *
 * @param data           base64 of the samples
 * @param sampleRate     frames per second
 * @param channels       interleaved channels per frame
 * @param timestamp      the sender's clock at capture, epoch millis
 * @param sequenceNumber the chunk's position in the stream, from 0 up
 */
public record AudioChunk(String data, int sampleRate, int channels, long timestamp, long sequenceNumber) {
    public static final int MIN_SAMPLE_RATE = 8_000;
    public static final int MAX_SAMPLE_RATE = 384_000;
    public static final int MAX_CHANNELS = 8;
    /** Sequence numbers stay exact in every JSON client, JavaScript's doubles included. */
    public static final long MAX_SEQUENCE_NUMBER = (1L << 53) - 1;
    private static final int BYTES_PER_SAMPLE = Float.BYTES;

    public AudioChunk {
        if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
            throw ShareException.invalid("sampleRate must be between " + MIN_SAMPLE_RATE + " and " + MAX_SAMPLE_RATE
                    + " Hz, was " + sampleRate);
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw ShareException.invalid("channels must be between 1 and " + MAX_CHANNELS + ", was " + channels);
        }
        if (sequenceNumber < 0 || sequenceNumber > MAX_SEQUENCE_NUMBER) {
            throw ShareException.invalid("sequenceNumber must be between 0 and " + MAX_SEQUENCE_NUMBER + ", was "
                    + sequenceNumber);
        }
        if (data == null || data.isEmpty()) throw ShareException.invalid("data must be a non-empty base64 string");
        long bytes = Base64Payload.decodedLength(data);
        if (bytes < 0) throw ShareException.invalid("data is not valid base64 (standard alphabet, with padding)");
        long frameBytes = (long) BYTES_PER_SAMPLE * channels;
        if (bytes % frameBytes != 0) {
            throw ShareException.invalid("data must hold whole frames of " + channels + " float32 samples ("
                    + frameBytes + " bytes each), but decodes to " + bytes + " bytes");
        }
    }

    /** Decoded audio bytes carried: what {@code bytesTransferred} adds up. */
    public long decodedBytes() {
        return Base64Payload.decodedLength(data);
    }

    /** Samples per channel. */
    public long frames() {
        return decodedBytes() / ((long) BYTES_PER_SAMPLE * channels);
    }

    /** How much audio the chunk holds, from its own length, rate and channels. */
    public long durationMicros() {
        return frames() * 1_000_000L / sampleRate;
    }

    /**
     * The sequence number of a chunk in its canonical form ({@link #toJson()}), which ends with it: read back from
     * the stored bytes without parsing the whole chunk.
     */
    public static long sequenceNumberOf(byte[] canonicalJson) {
        int end = canonicalJson.length - 1; // the closing brace
        int start = end;
        while (start > 0 && canonicalJson[start - 1] != ':') start--;
        return Long.parseLong(new String(canonicalJson, start, end - start, StandardCharsets.US_ASCII));
    }

    /** The chunk as listeners receive it. Built by hand: every field is a number or validated base64, so no escaping. */
    public byte[] toJson() {
        StringBuilder json = new StringBuilder(data.length() + 120);
        json.append("{\"data\":\"").append(data)
                .append("\",\"sampleRate\":").append(sampleRate)
                .append(",\"channels\":").append(channels)
                .append(",\"timestamp\":").append(timestamp)
                .append(",\"sequenceNumber\":").append(sequenceNumber)
                .append('}');
        return json.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
