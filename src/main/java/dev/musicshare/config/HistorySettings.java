package dev.musicshare.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how session history is kept.
 *
 * @param database       PostgreSQL, or null for the embedded SQLite file
 * @param directory      the embedded database's folder (its file is {@code history.db})
 * @param sampleInterval how often each live session's listener count is sampled
 * @param maxPending     history steps (starts, ends, track changes, samples) held while the database cannot be
 *                       written; the counters (chunks, bytes, seconds) are kept whatever this says
 */
public record HistorySettings(DatabaseUrl database, Path directory, Duration sampleInterval, int maxPending) {
    /** The defaults: embedded file in {@code ./history}, a sample a minute, 10,000 steps kept during an outage. */
    public static HistorySettings embedded(Path directory) {
        return new HistorySettings(null, directory, Duration.ofMinutes(1), 10_000);
    }
}
