package dev.musicshare.stream;

/**
 * Decides when a live stream needs silence: while the sender pauses (or its audio is held back), players must still
 * get audio or they drop the connection. The stream's position is compared with the wall clock since the point
 * where it was furthest ahead; once it has fallen more than {@code silenceAfter} behind, silence fills it back to
 * that lag. Audio that arrives later follows the silence (nothing is dropped), and a burst of late audio that puts
 * the stream ahead again moves the reference point forward.
 *
 * <p>A stream that starts before the sender's first audio ({@link #leadIn}) is treated as one whose sender paused
 * at its start: silence after the same allowance, since a player that gets nothing but headers waits forever (or
 * gives up). The first audio then becomes the reference point, so the allowance is whole again from there on (the
 * player has heard nothing late yet).
 *
 * <p>Time is passed in (nanoseconds of a monotonic clock), so tests drive it without sleeping. Not thread-safe.
 */
final class StreamPacer {
    private final long silenceAfterSamples;
    /** Wall-clock nanos at which the stream position was 0, as far as the pacer is concerned. */
    private long anchorNanos;
    private boolean anchored;
    /** No audio has come since the stream started: the first to come re-anchors. */
    private boolean leadIn;

    /** @param silenceAfterMillis how far the stream may fall behind the wall clock before silence is added */
    StreamPacer(long silenceAfterMillis) {
        this.silenceAfterSamples = silenceAfterMillis * 48;
    }

    /**
     * The stream starts now, at position 0, with no audio from the sender yet: silence is due after the allowance,
     * in real time, until the first {@link #encoded} audio.
     */
    void leadIn(long nowNanos) {
        anchorNanos = nowNanos;
        anchored = true;
        leadIn = true;
    }

    /** Notes the stream position (samples per channel at 48 kHz) after audio was encoded. */
    void encoded(long position, long nowNanos) {
        long due = due(nowNanos);
        if (!anchored || leadIn || position > due) {
            anchorNanos = nowNanos - position * 1_000_000_000L / 48_000;
            anchored = true;
            leadIn = false;
        }
    }

    /** Samples of silence (per channel, 48 kHz) to add now so the stream is no more than the allowed lag behind. */
    long silenceNeeded(long position, long nowNanos) {
        if (!anchored) return 0;
        long behind = due(nowNanos) - position;
        return Math.max(0, behind - silenceAfterSamples);
    }

    /** Whether no audio has come since {@link #leadIn}. */
    boolean inLeadIn() {
        return leadIn;
    }

    private long due(long nowNanos) {
        return (nowNanos - anchorNanos) * 48_000 / 1_000_000_000L;
    }
}
