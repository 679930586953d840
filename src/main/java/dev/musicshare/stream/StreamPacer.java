package dev.musicshare.stream;

/**
 * Decides when a live stream needs silence: while the sender pauses (or its audio is held back), players must still
 * get audio or they drop the connection. The stream's position is compared with the wall clock since the point
 * where it was furthest ahead; once it has fallen more than {@code silenceAfter} behind, silence fills it back to
 * that lag. Audio that arrives later follows the silence (nothing is dropped), and a burst of late audio that puts
 * the stream ahead again moves the reference point forward.
 *
 * <p>Time is passed in (nanoseconds of a monotonic clock), so tests drive it without sleeping. Not thread-safe.
 */
final class StreamPacer {
    private final long silenceAfterSamples;
    /** Wall-clock nanos at which the stream position was 0, as far as the pacer is concerned. */
    private long anchorNanos;
    private boolean anchored;

    /** @param silenceAfterMillis how far the stream may fall behind the wall clock before silence is added */
    StreamPacer(long silenceAfterMillis) {
        this.silenceAfterSamples = silenceAfterMillis * 48;
    }

    /** Notes the stream position (samples per channel at 48 kHz) after audio was encoded. */
    void encoded(long position, long nowNanos) {
        long due = due(nowNanos);
        if (!anchored || position > due) {
            anchorNanos = nowNanos - position * 1_000_000_000L / 48_000;
            anchored = true;
        }
    }

    /** Samples of silence (per channel, 48 kHz) to add now so the stream is no more than the allowed lag behind. */
    long silenceNeeded(long position, long nowNanos) {
        if (!anchored) return 0;
        long behind = due(nowNanos) - position;
        return Math.max(0, behind - silenceAfterSamples);
    }

    private long due(long nowNanos) {
        return (nowNanos - anchorNanos) * 48_000 / 1_000_000_000L;
    }
}
