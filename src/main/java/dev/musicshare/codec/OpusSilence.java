package dev.musicshare.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A prebuilt Opus packet of 20 ms of digital silence, so silence (skipped chunks, a paused sender) costs no encoder
 * CPU: Concentus spends as long on a frame of zeros as on music. Built once per channel count and bitrate by
 * encoding zeros with an encoder configured like the stream's own, so its TOC (mode, bandwidth, stereo flag,
 * RFC 6716 section 3.1) matches the frames around it and any decoder takes it as an ordinary packet.
 */
final class OpusSilence {
    /** Zero frames fed before the packet is taken: the first packets of a fresh encoder carry its start-up. */
    private static final int SETTLING_FRAMES = 3;
    private static final Map<Long, byte[]> PACKETS = new ConcurrentHashMap<>();

    private OpusSilence() {}

    /** The packet for {@code channels} (1 or 2) at {@code bitrate} bits/s; callers must not modify it. */
    static byte[] packet(int channels, int bitrate) {
        return PACKETS.computeIfAbsent(((long) channels << 32) | bitrate, key -> build(channels, bitrate));
    }

    private static byte[] build(int channels, int bitrate) {
        try {
            OpusEncoder encoder = new OpusEncoder(PcmResampler.OUTPUT_RATE, channels,
                    OpusApplication.OPUS_APPLICATION_AUDIO);
            encoder.setBitrate(bitrate);
            encoder.setSignalType(OpusSignal.OPUS_SIGNAL_MUSIC);
            short[] zeros = new short[OpusStreamEncoder.FRAME_SAMPLES * channels];
            byte[] buffer = new byte[1275];
            int length = 0;
            for (int i = 0; i < SETTLING_FRAMES; i++) {
                length = encoder.encode(zeros, 0, OpusStreamEncoder.FRAME_SAMPLES, buffer, 0, buffer.length);
            }
            return java.util.Arrays.copyOf(buffer, length);
        } catch (OpusException e) {
            throw new IllegalStateException("Opus silence packet could not be built: " + e.getMessage(), e);
        }
    }
}
