package dev.musicshare.client;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes one Opus stream (RFC 6716, 48 kHz) with Concentus into little-endian float32 PCM, the form
 * {@link WavRecorder} writes, and drops the stream's pre-skip (RFC 7845 section 4.2) from its start.
 */
final class OpusPcmDecoder {
    static final int SAMPLE_RATE = 48_000;
    /** 120 ms, the longest an Opus packet can hold. */
    private static final int MAX_FRAME_SAMPLES = 5_760;

    private final int channels;
    private final OpusDecoder decoder;
    private final short[] pcm;
    private int toSkip;

    /**
     * @param channels 1 or 2
     * @param preSkip  samples per channel to drop from the start of the decoded audio
     */
    OpusPcmDecoder(int channels, int preSkip) throws IOException {
        this.channels = channels;
        this.toSkip = Math.max(0, preSkip);
        this.pcm = new short[MAX_FRAME_SAMPLES * channels];
        try {
            decoder = new OpusDecoder(SAMPLE_RATE, channels);
        } catch (OpusException e) {
            throw new IOException("Opus decoder could not be created: " + e.getMessage(), e);
        }
    }

    int channels() {
        return channels;
    }

    /**
     * Decodes one packet.
     *
     * @return float32 little-endian interleaved samples (what remains after the pre-skip; possibly none)
     * @throws IOException when the packet is not valid Opus
     */
    byte[] decode(byte[] packet) throws IOException {
        int samples;
        try {
            samples = decoder.decode(packet, 0, packet.length, pcm, 0, MAX_FRAME_SAMPLES, false);
        } catch (OpusException e) {
            throw new IOException("Opus packet could not be decoded: " + e.getMessage(), e);
        }
        int skipped = Math.min(toSkip, samples);
        toSkip -= skipped;
        int kept = samples - skipped;
        ByteBuffer out = ByteBuffer.allocate(kept * channels * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = skipped * channels; i < samples * channels; i++) out.putFloat(pcm[i] / 32768f);
        return out.array();
    }
}
