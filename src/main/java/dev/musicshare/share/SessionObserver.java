package dev.musicshare.share;

/**
 * Told what happens over a session's life, after the store accepted it, for features that keep a record of it
 * (session history). Called on the request path: an implementation only counts or queues, never blocks or does I/O,
 * and must not throw. Every method has an empty default, so an observer overrides only what it needs.
 */
public interface SessionObserver {
    SessionObserver NONE = new SessionObserver() {};

    /** Audio sent to listeners is counted per codec under these names (the {@code codec} query parameter's). */
    String CODEC_PCM = "pcm";

    /** A session started at {@code at} (epoch ms) on this node. */
    default void started(SessionId id, long at) {}

    /** The sender posted metadata at {@code at} (epoch ms); most posts repeat the track already playing. */
    default void metadataChanged(SessionId id, Metadata metadata, long at) {}

    /**
     * The store buffered (or refused as late) an audio chunk: {@code decodedBytes} of float PCM lasting
     * {@code durationMicros}.
     */
    default void chunkReceived(SessionId id, long decodedBytes, long durationMicros) {}

    /**
     * {@code bytes} of audio went to listeners of the session, encoded as {@code codec} ({@link #CODEC_PCM}: the
     * chunks' JSON as polled or pushed; other codecs report under their own name, e.g. "opus").
     */
    default void audioSent(SessionId id, String codec, long bytes) {}

    /**
     * The session ended at {@code at} (epoch ms): stopped by its sender or expired. {@code peakListeners} is the most
     * the store counted at once, or -1 when it is no longer known (an expired session is already gone).
     */
    default void ended(SessionId id, ShareEvents.EndReason reason, long at, int peakListeners) {}
}
