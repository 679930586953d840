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
 * @param enabled        false: no history is kept and no database opened (HISTORY=off)
 * @param maxAge         records of sessions that ended longer ago are removed (HISTORY_MAX_AGE_DAYS); zero: kept
 */
public record HistorySettings(DatabaseUrl database, Path directory, Duration sampleInterval, int maxPending,
        boolean enabled, Duration maxAge) {
    /** History on, every record kept. */
    public HistorySettings(DatabaseUrl database, Path directory, Duration sampleInterval, int maxPending) {
        this(database, directory, sampleInterval, maxPending, true, Duration.ZERO);
    }

    /** The defaults: embedded file in {@code ./history}, a sample a minute, 10,000 steps kept during an outage. */
    public static HistorySettings embedded(Path directory) {
        return new HistorySettings(null, directory, Duration.ofMinutes(1), 10_000);
    }
}
