package dev.musicshare.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Turns received Opus (push events with {@code codec=opus}, or the packets of {@code stream.ogg}) back into PCM for
 * the WAV, with one decoder per Opus stream: a new one after a reconnection, a {@code gap}, or a new encoder stream
 * (an event carrying {@code preSkip}). Drops the pre-skip at a stream's start and the padding at its end, as RFC 7845
 * has a player do, so the WAV is as long as what was sent.
 */
final class OpusAudio {
    private final WavRecorder wav;
    private OpusPcmDecoder decoder;
    private long samples;
    private long packetBytes;
    /** stream.ogg: the decoded samples of the page being read, held until its end is known (padding to trim). */
    private byte[] pagePending = new byte[0];
    private long pageGranule = -1;
    private long previousGranule = -1;

    /** @param wav where the decoded audio goes; null to decode only for the counts */
    OpusAudio(WavRecorder wav) {
        this.wav = wav;
    }

    /** The next frames come from a new connection (or after a hole): they start a fresh decoder. */
    void restart() {
        decoder = null;
    }

    /** Samples per channel (48 kHz) decoded and kept. */
    long samples() {
        return samples;
    }

    double seconds() {
        return (double) samples / OpusPcmDecoder.SAMPLE_RATE;
    }

    /** Bytes of Opus packets received. */
    long packetBytes() {
        return packetBytes;
    }

    /** One push event with {@code codec=opus}: its frames, decoded in order; the stream's last event trims its padding. */
    void onEvent(JsonNode event) throws IOException {
        int channels = Math.max(1, event.path("channels").asInt(2));
        if (decoder == null || event.has("preSkip") || decoder.channels() != channels) {
            decoder = new OpusPcmDecoder(channels, event.path("preSkip").asInt(0));
        }
        byte[] decoded = new byte[0];
        for (JsonNode frame : event.path("frames")) decoded = concat(decoded, decode(Base64.getDecoder().decode(frame.asText())));
        if (event.path("last").asBoolean()) decoded = trimEnd(decoded, event.path("padding").asInt(0), channels);
        write(decoded, channels);
    }

    /** stream.ogg's OpusHead: a new logical stream starts. */
    void onOggHead(int channels, int preSkip) throws IOException {
        flushPage();
        decoder = new OpusPcmDecoder(channels, preSkip);
        pageGranule = previousGranule = -1;
    }

    /**
     * One audio packet of stream.ogg. The samples of a page are written once the next page starts; on the
     * end-of-stream page only as many as its granule position allows (RFC 7845 section 4.4: the rest is padding).
     */
    void onOggPacket(byte[] packet, long granule, boolean endOfStream) throws IOException {
        if (decoder == null) throw new IOException("stream.ogg: audio before its OpusHead");
        if (granule != pageGranule) {
            flushPage();
            previousGranule = pageGranule;
            pageGranule = granule;
        }
        pagePending = concat(pagePending, decode(packet));
        if (endOfStream) {
            if (previousGranule >= 0) {
                long allowed = granule - previousGranule;
                long held = pagePending.length / (Float.BYTES * decoder.channels());
                if (held > allowed) pagePending = trimEnd(pagePending, (int) (held - allowed), decoder.channels());
            }
            flushPage();
        }
    }

    /** Writes what is held (the stream ended or broke off). */
    void finish() throws IOException {
        flushPage();
    }

    private void flushPage() throws IOException {
        if (pagePending.length > 0 && decoder != null) write(pagePending, decoder.channels());
        pagePending = new byte[0];
    }

    private byte[] decode(byte[] packet) throws IOException {
        packetBytes += packet.length;
        return decoder.decode(packet);
    }

    private void write(byte[] pcm, int channels) throws IOException {
        if (pcm.length == 0) return;
        samples += pcm.length / (Float.BYTES * channels);
        if (wav != null) wav.write(pcm, OpusPcmDecoder.SAMPLE_RATE, channels);
    }

    private static byte[] trimEnd(byte[] pcm, int samples, int channels) {
        return Arrays.copyOf(pcm, Math.max(0, pcm.length - samples * channels * Float.BYTES));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a.length == 0) return b;
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
