package dev.musicshare.codec;

/**
 * One Opus packet (RFC 6716) and how much audio it holds. Serialised once by the session's encoder and then shared,
 * unchanged, by every listener, container and recording that carries it.
 *
 * @param packet  the encoded packet; never modified after construction
 * @param samples samples per channel at 48 kHz (960 for the 20 ms frames this server encodes)
 */
public record OpusFrame(byte[] packet, int samples) {
    public OpusFrame {
        if (packet == null || packet.length == 0) throw new IllegalArgumentException("an Opus packet is not empty");
        if (samples <= 0 || samples > 5760) throw new IllegalArgumentException("samples must be 1-5760, was " + samples);
    }

    /** The frame's duration in microseconds. */
    public long durationMicros() {
        return samples * 1_000_000L / PcmResampler.OUTPUT_RATE;
    }
}
