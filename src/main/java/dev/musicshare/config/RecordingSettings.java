package dev.musicshare.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Whether and where sessions are recorded (issue #17, "Recording").
 *
 * @param mode      which sessions are recorded (RECORDING)
 * @param directory where recordings are written (RECORDINGS_DIR); on several nodes, one folder they all share
 * @param maxBytes  the most the finished recordings may take together before the oldest are removed
 *                  (RECORDINGS_MAX_GB); 0: no limit
 * @param maxAge    recordings older than this are removed (RECORDINGS_MAX_AGE_DAYS); zero: kept until deleted
 */
public record RecordingSettings(Mode mode, Path directory, long maxBytes, Duration maxAge) {
    /** RECORDING's values. */
    public enum Mode {
        /** Nothing is recorded (the default: a recording keeps what listeners heard, so it is asked for). */
        OFF,
        /** A session is recorded when its sender asks with {@code "record": true} in start. */
        REQUESTED,
        /** Every session is recorded (for senders that cannot ask, such as the desktop app). */
        ALWAYS;

        /** The mode for a RECORDING value (off, requested, always; any case). */
        static Mode parse(String value) {
            for (Mode mode : values()) if (mode.name().equalsIgnoreCase(value)) return mode;
            throw new InvalidSettingException("RECORDING must be off, requested or always, was \"" + value + "\"");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RecordingSettings {
        if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must not be negative, was " + maxBytes);
        if (maxAge.isNegative()) throw new IllegalArgumentException("maxAge must not be negative, was " + maxAge);
    }

    /** Recording off, as by default. */
    public static RecordingSettings off() {
        return new RecordingSettings(Mode.OFF, Path.of("recordings"), 10L << 30, Duration.ofDays(30));
    }

    /** Whether a session is recorded, given whether its sender asked for it. */
    public boolean records(boolean requested) {
        return mode == Mode.ALWAYS || mode == Mode.REQUESTED && requested;
    }
}
