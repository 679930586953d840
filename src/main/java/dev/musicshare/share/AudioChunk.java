package dev.musicshare.share;

import java.nio.charset.StandardCharsets;

/**
 * One slice of the sender's audio: base64 of little-endian float32 samples, interleaved by channel. Validated once
 * here, then kept and served as its canonical JSON bytes: the server never decodes the samples.
 *
 * <p>The base64 is held as a span of ASCII bytes, usually of the request body itself: a 0.5 s stereo chunk is 235 KB
 * of base64, and turning it into a String and back into bytes cost more than everything else the server does with it.
 */
public final class AudioChunk {
    public static final int MIN_SAMPLE_RATE = 8_000;
    public static final int MAX_SAMPLE_RATE = 384_000;
    public static final int MAX_CHANNELS = 8;
    /** Sequence numbers stay exact in every JSON client, JavaScript's doubles included. */
    public static final long MAX_SEQUENCE_NUMBER = (1L << 53) - 1;
    private static final int BYTES_PER_SAMPLE = Float.BYTES;
    private static final byte[] JSON_PREFIX = "{\"data\":\"".getBytes(StandardCharsets.US_ASCII);

    private final byte[] base64;
    private final int from;
    private final int to;
    private final int sampleRate;
    private final int channels;
    private final long timestamp;
    private final long sequenceNumber;
    private final long decodedBytes;

    /**
     * @param data           base64 of the samples
     * @param sampleRate     frames per second
     * @param channels       interleaved channels per frame
     * @param timestamp      the sender's clock at capture, epoch millis
     * @param sequenceNumber the chunk's position in the stream, from 0 up
     */
    public AudioChunk(String data, int sampleRate, int channels, long timestamp, long sequenceNumber) {
        this(ascii(data), 0, data == null ? 0 : data.length(), sampleRate, channels, timestamp, sequenceNumber);
    }

    /** A chunk whose base64 is {@code base64[from, to)}; the array is kept, not copied, and must not change. */
    public AudioChunk(byte[] base64, int from, int to, int sampleRate, int channels, long timestamp,
            long sequenceNumber) {
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
        if (base64 == null || to <= from) throw ShareException.invalid("data must be a non-empty base64 string");
        long bytes = Base64Payload.decodedLength(base64, from, to);
        if (bytes < 0) throw ShareException.invalid("data is not valid base64 (standard alphabet, with padding)");
        long frameBytes = (long) BYTES_PER_SAMPLE * channels;
        if (bytes % frameBytes != 0) {
            throw ShareException.invalid("data must hold whole frames of " + channels + " float32 samples ("
                    + frameBytes + " bytes each), but decodes to " + bytes + " bytes");
        }
        this.base64 = base64;
        this.from = from;
        this.to = to;
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.timestamp = timestamp;
        this.sequenceNumber = sequenceNumber;
        this.decodedBytes = bytes;
    }

    /** The base64 of the samples. */
    public String data() {
        return new String(base64, from, to - from, StandardCharsets.US_ASCII);
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    public long timestamp() {
        return timestamp;
    }

    public long sequenceNumber() {
        return sequenceNumber;
    }

    /** Decoded audio bytes carried: what {@code bytesTransferred} adds up. */
    public long decodedBytes() {
        return decodedBytes;
    }

    /** Samples per channel. */
    public long frames() {
        return decodedBytes / ((long) BYTES_PER_SAMPLE * channels);
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

    /** The chunk as the sender posted it, in canonical form (no presentation time). */
    public byte[] toJson() {
        return toJson(-1);
    }

    /**
     * The chunk as listeners receive it, with {@code presentationTime} — when it is to be heard, epoch milliseconds
     * on the server's clock with microsecond decimals — unless {@code presentationMicros} is negative. Built by hand:
     * every field is a number or validated base64, so no escaping; the sequence number stays last (see
     * {@link #sequenceNumberOf}).
     */
    public byte[] toJson(long presentationMicros) {
        String presentation = presentationMicros < 0 ? "" : ",\"presentationTime\":" + presentationMicros / 1000 + "."
                + String.format("%03d", presentationMicros % 1000);
        byte[] suffix = ("\",\"sampleRate\":" + sampleRate + ",\"channels\":" + channels + ",\"timestamp\":"
                + timestamp + presentation + ",\"sequenceNumber\":" + sequenceNumber + "}")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] json = new byte[JSON_PREFIX.length + (to - from) + suffix.length];
        System.arraycopy(JSON_PREFIX, 0, json, 0, JSON_PREFIX.length);
        System.arraycopy(base64, from, json, JSON_PREFIX.length, to - from);
        System.arraycopy(suffix, 0, json, JSON_PREFIX.length + (to - from), suffix.length);
        return json;
    }

    @Override
    public String toString() {
        return "AudioChunk[sequenceNumber=" + sequenceNumber + ", sampleRate=" + sampleRate + ", channels=" + channels
                + ", timestamp=" + timestamp + ", decodedBytes=" + decodedBytes + "]";
    }

    /** Non-ASCII text cannot be base64: it becomes '?' here and is refused by the check that follows. */
    private static byte[] ascii(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.US_ASCII);
    }
}
