package dev.musicshare.testing;

import java.util.concurrent.locks.LockSupport;

/**
 * A sender on its own clock, like the desktop app: one-second stereo chunks of a 440 Hz tone at 44.1 kHz, each posted
 * at its capture time on that clock, never seconds ahead. A sender that posts ahead of its clock turns a pause into a
 * spent lead (the session's timeline pulls an early chunk back in and the pause is gone); the recording tests need
 * pauses that are real. Subclasses post each chunk where their test wants it and may look at the answer.
 */
public abstract class PacedToneSender {
    public static final int RATE = 44_100;
    /**
     * Frames per chunk: one second. A chunk counts as late (and moves the session's timeline, rightly lengthening a
     * recording) when it arrives well after its presentation time, so long chunks keep a loaded machine's slow
     * requests (seen: over 1 s each at load 28) from being taken for a sender that stalled.
     */
    public static final int CHUNK_FRAMES = RATE;

    private final long startMillis = System.currentTimeMillis();
    private final String chunkData;
    private long sequence;
    /** Audio sent plus pauses taken, in frames: the sender's clock. */
    private long frames;

    protected PacedToneSender() {
        float[] mono = Signals.sine(RATE, 440, CHUNK_FRAMES, 0.5); // 440 whole cycles: chunks join seamlessly
        float[] stereo = new float[CHUNK_FRAMES * 2];
        for (int f = 0; f < CHUNK_FRAMES; f++) stereo[2 * f] = stereo[2 * f + 1] = mono[f];
        chunkData = Signals.base64(stereo, 0, stereo.length);
    }

    /** The sender's clock: its start plus the audio sent and the pauses taken, epoch ms. */
    public long senderClock() {
        return startMillis + frames * 1000 / RATE;
    }

    /** Sends {@code seconds} of tone (rounded to whole chunks), each chunk once its capture time has come. */
    public void tone(double seconds) {
        long chunks = Math.round(seconds * RATE / CHUNK_FRAMES);
        for (long i = 0; i < chunks; i++) {
            long wait;
            while ((wait = senderClock() - System.currentTimeMillis()) > 0) LockSupport.parkNanos(wait * 1_000_000);
            String json = AudioSamples.chunkJson(sequence, chunkData, RATE, 2)
                    .replaceFirst("\"timestamp\":[0-9]+", "\"timestamp\":" + senderClock());
            postChunk(sequence, json);
            sequence++;
            frames += CHUNK_FRAMES;
        }
    }

    /** The sender stops sending for a while: its clock moves on, no audio is captured (the next post waits). */
    public void pause(double seconds) {
        frames += Math.round(seconds * RATE);
    }

    /** Posts one chunk's JSON (the seed's audio body, {@code timestamp} set to its capture time). */
    protected abstract void postChunk(long sequence, String json);
}
