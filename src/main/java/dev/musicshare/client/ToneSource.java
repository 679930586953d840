package dev.musicshare.client;

/**
 * A sine tone, the same on every channel: a source that needs no file, for demos and tests. The phase runs on from
 * chunk to chunk, so chunks played back to back are one continuous tone.
 */
public final class ToneSource implements AudioSource {
    private static final float AMPLITUDE = 0.25f;
    private final int sampleRate;
    private final int channels;
    private final double frequency;
    private final long totalFrames;
    private long frame;

    /** @param seconds length of the tone; 0 for endless */
    public ToneSource(double frequency, int sampleRate, int channels, double seconds) {
        if (frequency <= 0 || sampleRate <= 0 || channels <= 0 || seconds < 0) {
            throw new IllegalArgumentException("frequency, sample rate and channels must be positive");
        }
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.frequency = frequency;
        this.totalFrames = seconds == 0 ? Long.MAX_VALUE : Math.round(seconds * sampleRate);
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public double durationSeconds() {
        return totalFrames == Long.MAX_VALUE ? 0 : (double) totalFrames / sampleRate;
    }

    @Override
    public int read(float[] samples, int frames) {
        int count = (int) Math.min(frames, totalFrames - frame);
        double step = 2 * Math.PI * frequency / sampleRate;
        for (int i = 0; i < count; i++, frame++) {
            float value = (float) (Math.sin(step * (frame % sampleRate)) * AMPLITUDE);
            for (int channel = 0; channel < channels; channel++) samples[i * channels + channel] = value;
        }
        return count;
    }
}
