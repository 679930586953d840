package dev.musicshare.live;

import dev.musicshare.share.ShareException;
import java.util.Locale;

/**
 * How a push listener receives audio, chosen with the {@code codec} query parameter of {@code /events} and
 * {@code /ws}: the sender's float PCM as posted (the default), or Opus frames from this node's encoder.
 */
public enum PushCodec {
    PCM("pcm"),
    OPUS("opus");

    private final String wireName;

    PushCodec(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the query parameter, metrics and session history. */
    public String wireName() {
        return wireName;
    }

    /**
     * Reads the {@code codec} query parameter; absent or empty means PCM.
     *
     * @throws ShareException (400 INVALID_REQUEST) for any other value
     */
    public static PushCodec parse(String raw) {
        if (raw == null || raw.isEmpty()) return PCM;
        for (PushCodec codec : values()) {
            if (codec.wireName.equals(raw.toLowerCase(Locale.ROOT))) return codec;
        }
        throw ShareException.invalid("codec must be pcm or opus, was '" + (raw.length() > 20 ? raw.substring(0, 20)
                + "…" : raw) + "'");
    }
}
